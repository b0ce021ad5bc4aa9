"""`kzone morning [--date D]`: fetch, then the daily job, then the report, with one summary.

1. fetch D (``python_models.ingest.fetch``): yesterday's finals, D's starters, injuries and lines;
2. the daily job (``python_models.jobs.daily.run_daily``): features, models, score D, predictions, gates;
3. the HTML report of the last :data:`REPORT_DAYS` days (``kzone report``), unless ``report=False``;
4. the summary: what landed per feed (and what is stale), who was predicted and who was not and why, which
   starters' lines resolved, quarantined lines, gate warnings, timings.

A feed that is down after the retries does not stop the morning: it goes on with what it has and marks the
feed stale. The morning fails (``MorningReport.ok`` false, the CLI exits 1) only when it cannot score: no
starter for D landed, or the daily job stopped. ``KZONE_ALERT_WEBHOOK_URL``, when set, receives ONE JSON
POST ``{"text": ...}`` (Slack-compatible) when a gate fails, a feed is down, rows are quarantined or fewer
than :data:`MIN_STARTER_COVERAGE` of D's starters are predicted.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

import httpx

from python_models.config import Settings
from python_models.ingest.fetch import FetchReport, fetch_day
from python_models.ingest.http import FeedError, HttpClient
from python_models.warehouse import open_warehouse
from python_models.warehouse.base import Warehouse
from python_models.warehouse.raw_tables import PROBABLE_STARTERS, STRIKEOUT_LINES
from python_models.warehouse.tables import PREDICTIONS_LANDING

log = logging.getLogger(__name__)

MIN_STARTER_COVERAGE = 0.9  # share of D's announced starters that must get a prediction, else an alert
REPORT_DAYS = 30
MAX_LISTED = 15
SCRATCHED = "scratched, no replacement yet"  # int_predictions_graded's withdrawn_reason for a scratch
PREDICTIONS_MART = ("mlb_predictions", "pitcher_strikeouts")  # fct_pitcher_strikeouts's relation


@dataclass
class MorningReport:
    day: date
    fetch: FetchReport | None = None
    starters: dict[str, str] = field(default_factory=dict)  # pitcher_id -> name (D's announced starters)
    predicted: set[str] = field(default_factory=set)
    not_predicted: dict[str, str] = field(default_factory=dict)  # pitcher_id -> why
    scratched: dict[str, str] = field(default_factory=dict)  # pitcher_id -> name: scratched, no replacement
    with_line: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    failure: str | None = None
    report_path: Path | None = None
    timings: dict[str, float] = field(default_factory=dict)
    alerted: bool = False
    held_back: str = ""  # the daily job's line on prediction rows held back by a row-level rule
    gates_failed: str = ""  # a gate failed at severity error: the good rows were published all the same

    @property
    def ok(self) -> bool:
        return self.failure is None

    @property
    def coverage(self) -> float:
        return len(self.predicted & set(self.starters)) / len(self.starters) if self.starters else 0.0

    def alerts(self) -> list[str]:
        found = []
        if self.failure:
            found.append(f"cannot score: {self.failure}")
        if self.fetch and self.fetch.stale:
            found.append(f"feed down or stale: {'; '.join(self.fetch.stale[:3])}")
        if self.fetch and self.fetch.quarantined:
            found.append(f"{len(self.fetch.quarantined)} line row(s) quarantined")
        if self.starters and self.coverage < MIN_STARTER_COVERAGE:
            found.append(f"only {self.coverage:.0%} of {len(self.starters)} starters predicted")
        if self.held_back:
            found.append(self.held_back)
        if self.gates_failed:
            found.append(f"gate failed: {self.gates_failed}")
        found.extend(f"gate: {w}" for w in self.warnings if "gate" in w.lower() or "fail" in w.lower())
        return found

    def summary(self) -> str:
        """The morning in plain lines (what the CLI prints and the alert carries)."""
        lines = [f"kzone morning {self.day}: {'OK' if self.ok else 'FAILED'}"]
        if self.fetch:
            f = self.fetch
            for name, status in (("MLB Stats API", f.statsapi), ("The Odds API", f.odds)):
                landed = ", ".join(f"{k} {v}" for k, v in status.landed.items()) or "nothing"
                lines.append(f"  {name}: {status.requests} request(s); landed: {landed}")
                lines.extend(f"    STALE {s}" for s in status.stale[:MAX_LISTED])
            if f.quota:
                lines.append("  odds quota: " + ", ".join(f"{k}={v}" for k, v in f.quota.items()))
            if f.catchup_days:
                lines.append(f"  finals fetched for {f.catchup_days[0]} .. {f.catchup_days[-1]}")
            if f.provisional:
                lines.append(
                    f"  new to the crosswalk (provisional ids): {', '.join(f.provisional[:MAX_LISTED])}"
                )
            if f.merged:
                lines.append(f"  merged into Retrosheet ids: {f.merged}")
            lines.extend(f"  not loaded: {r}" for r in f.reported[:MAX_LISTED])
            lines.extend(f"  quarantined: {q}" for q in f.quarantined[:MAX_LISTED])
        if self.starters:
            lines.append(
                f"  predicted {len(self.predicted & set(self.starters))} of {len(self.starters)} starters "
                f"({self.coverage:.0%}); lines resolved for {len(self.with_line & set(self.starters))}"
            )
            lines.extend(
                f"  not predicted: {self.starters[p]} ({p}): {why}" for p, why in self.not_predicted.items()
            )
        lines.extend(
            f"  not predicted / withdrawn: {name} ({p}): {SCRATCHED}" for p, name in self.scratched.items()
        )
        if self.held_back:
            lines.append(f"  {self.held_back}")
        if self.gates_failed:
            lines.append(f"  GATE FAILED (good rows published): {self.gates_failed}")
        lines.extend(f"  warning: {w}" for w in self.warnings[:MAX_LISTED])
        if self.failure:
            lines.append(f"  FAILED: {self.failure}")
        if self.report_path:
            lines.append(f"  report: {self.report_path}")
        lines.append("  timings: " + ", ".join(f"{k} {v:.1f} s" for k, v in self.timings.items()))
        return "\n".join(lines)


def _outcome(settings: Settings, report: MorningReport) -> None:
    """D's starters, who got a prediction, who has a line."""
    with open_warehouse(settings) as wh:
        starters = wh.query(
            f"select pitcher_id, pitcher_name from {wh.relation(PROBABLE_STARTERS.layer, PROBABLE_STARTERS.name)} "
            "where game_date = @d and pitcher_id is not null",  # a scratch row names no starter
            {"d": report.day},
        )
        report.starters = {str(r.pitcher_id): str(r.pitcher_name) for r in starters.itertuples(index=False)}
        report.scratched = _scratched(wh, report.day)
        if wh.table_exists(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name):
            rel = wh.relation(PREDICTIONS_LANDING.layer, PREDICTIONS_LANDING.name)
            rows = wh.query(f"select distinct pitcher_id from {rel} where game_date = @d", {"d": report.day})
            report.predicted = {str(p) for p in rows["pitcher_id"]}
        rel = wh.relation(STRIKEOUT_LINES.layer, STRIKEOUT_LINES.name)
        rows = wh.query(f"select distinct pitcher_id from {rel} where game_date = @d", {"d": report.day})
        report.with_line = {str(p) for p in rows["pitcher_id"]}
    report.not_predicted = {}
    for pid in sorted(set(report.starters) - report.predicted):
        report.not_predicted[pid] = report.failure or "no prediction written (not in D's feature slate)"


def _scratched(wh: Warehouse, day: date) -> dict[str, str]:
    """D's starters scratched with no replacement yet (pitcher_id -> name), as dbt published them: their
    predictions withdrawn for that reason (int_predictions_graded's rule); {} before the first build."""
    if not wh.table_exists(*PREDICTIONS_MART):
        return {}
    rows = wh.query(
        f"select distinct pitcher_id, pitcher_name from {wh.relation(*PREDICTIONS_MART)} "
        "where game_date = @d and withdrawn_reason = @why",
        {"d": day, "why": SCRATCHED},
    )
    return {str(r.pitcher_id): str(r.pitcher_name) for r in rows.itertuples(index=False)}


def send_alert(settings: Settings, text: str) -> bool:
    """One JSON POST {"text": ...} to KZONE_ALERT_WEBHOOK_URL; a failure is logged, never raised (and the
    webhook's URL, which carries its token, is never printed)."""
    if settings.alert_webhook_url is None:
        return False
    url = httpx.URL(settings.alert_webhook_url.get_secret_value())
    base, path = f"{url.scheme}://{url.netloc.decode()}", url.raw_path.decode()
    try:
        with HttpClient(
            "alert webhook", base, timeout_s=settings.http_timeout_s, retries=settings.http_retries
        ) as client:
            client.post_json(path, {"text": text})
    except FeedError as exc:
        log.warning("the alert webhook could not be reached (%s)", type(exc).__name__)
        return False
    return True


def run_morning(
    settings: Settings, day: date, *, replay: Path | None = None, report: bool = True
) -> MorningReport:
    """Fetch, score, report; never raises for a feed or a failed gate: the report says what happened."""
    from python_models.dbt.runner import DbtError
    from python_models.jobs.daily import DailyGateError, run_daily

    morning = MorningReport(day)
    started = time.perf_counter()
    morning.fetch = fetch_day(settings, day, replay=replay)
    morning.timings["fetch"] = time.perf_counter() - started
    _outcome(settings, morning)
    if not morning.starters:
        morning.failure = "no starter for the day landed (schedule stale or no games): nothing to score"
    else:
        started = time.perf_counter()
        daily = None
        try:
            daily = run_daily(settings, day)
        except DailyGateError as exc:  # published, but a gate failed at severity error: said, alerted
            daily, morning.gates_failed = exc.report, str(exc)
        except DbtError as exc:
            morning.failure = f"the daily job stopped: {exc}"
        if daily is not None:
            morning.warnings = list(daily.warnings)
            if daily.score and daily.score.failures:
                morning.warnings += [f"system {s} failed: {why}" for s, why in daily.score.failures.items()]
            morning.held_back = daily.held_back_line() if daily.held_back else ""
        morning.timings["daily job"] = time.perf_counter() - started
        _outcome(settings, morning)
    if report and morning.ok:
        from python_models.monitoring.report import write_report

        started = time.perf_counter()
        result = write_report(day - timedelta(days=REPORT_DAYS - 1), day, settings=settings)
        morning.report_path = result.path
        morning.timings["report"] = time.perf_counter() - started
    alerts = morning.alerts()
    if alerts:
        morning.alerted = send_alert(
            settings, "\n".join(["kzone morning alert:", *alerts, "", morning.summary()])
        )
    log.info("morning %s: %s", day, "ok" if morning.ok else morning.failure)
    return morning
