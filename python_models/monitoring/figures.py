"""Figures in the README come from the scripts that measure them, never from a hand.

`make evaluate` and `make bench` record what they measured in `docs/figures/<name>.json` (with the date and
the machine) and rewrite the README block between `<!-- figures:<name>:start -->` and
`<!-- figures:<name>:end -->` from that file. A test renders every recorded file again and compares it
with the README, so a hand-edited figure fails CI.
"""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from python_models.dbt.project import PROJECT_ROOT, stacked_systems, system_ids, var

FIGURES_DIR = PROJECT_ROOT / "docs" / "figures"
README = PROJECT_ROOT / "README.md"


def measured_picks_choice(folder: Path = FIGURES_DIR) -> dict[str, Any]:
    """The picks system `make evaluate` measured best and why (`docs/figures/evaluate.json`); {} if none."""
    path = folder / "evaluate.json"
    if not path.exists():
        return {}
    chosen = json.loads(path.read_text(encoding="utf-8"))["figures"].get("picks_system") or {}
    return chosen if chosen.get("system_id") in system_ids() else {}


def measured_picks_system(folder: Path = FIGURES_DIR) -> str:
    """KZONE_PICKS_SYSTEM's default: the system `make evaluate` measured best (lowest walk-forward count
    log loss on the last evaluated season, recorded in `docs/figures/evaluate.json`); dbt_project.yml's
    `picks_system_id` only when no evaluation is recorded or it names a system that no longer exists."""
    return str(measured_picks_choice(folder).get("system_id") or var("picks_system_id"))


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    memory_gib = None
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        match = re.search(r"MemTotal:\s+(\d+) kB", meminfo.read_text())
        memory_gib = round(int(match.group(1)) / 1024**2, 1) if match else None
    return {
        "machine": platform.machine(),
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "python": platform.python_version(),
    }


def record(name: str, figures: dict[str, Any], *, folder: Path = FIGURES_DIR) -> Path:
    """Write the measured figures with the date and the machine; returns the file."""
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "name": name,
        "measured_at": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": machine(),
        "figures": figures,
    }
    path = folder / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n", encoding="utf-8")
    return path


def markers(name: str) -> tuple[str, str]:
    return f"<!-- figures:{name}:start -->", f"<!-- figures:{name}:end -->"


def block(name: str, text: str) -> str:
    start, end = markers(name)
    return f"{start}\n{text.strip()}\n{end}"


def replace_block(readme_text: str, name: str, text: str) -> str:
    """The README with block ``name`` replaced (it must exist: the README decides where figures go)."""
    start, end = markers(name)
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    if not pattern.search(readme_text):
        raise ValueError(f"README has no {start} … {end} block")
    return pattern.sub(lambda _: block(name, text), readme_text, count=1)


def current_block(readme_text: str, name: str) -> str | None:
    start, end = markers(name)
    match = re.search(re.escape(start) + r"\n(.*?)\n" + re.escape(end), readme_text, re.DOTALL)
    return match.group(1) if match else None


def update_readme(name: str, render: Callable[[dict[str, Any]], str], *, folder: Path = FIGURES_DIR) -> str:
    """Rewrite README block ``name`` from ``docs/figures/<name>.json`` through ``render``."""
    payload = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
    text = render(payload)
    README.write_text(replace_block(README.read_text(encoding="utf-8"), name, text), encoding="utf-8")
    return text


def measured_line(payload: dict[str, Any]) -> str:
    m = payload["machine"]
    memory = f", {m['memory_gib']:g} GiB" if m.get("memory_gib") else ""
    return (
        f"Measured {payload['measured_at']} on {m['cores']} cores ({m['machine']}{memory}, Python "
        f"{m['python']}), written by the script into `docs/figures/{payload['name']}.json` and this block."
    )


# --- the blocks ------------------------------------------------------------------------------------------
def _num(value: Any, fmt: str) -> str:
    return "–" if value is None or value != value else format(value, fmt)


def _interval(value: Any, low: Any, high: Any, fmt: str) -> str:
    if value is None or low is None or high is None:
        return "–"
    return f"{format(value, fmt)} [{format(low, fmt)}, {format(high, fmt)}]"


#: The issue's targets for the picks system on the last season (issue 22): MAE, count log loss, bias.
TARGETS = {"mae": 1.745, "count_log_loss": 2.170, "bias": 0.05, "gap": 0.03}
MIN_DECILE_STARTS = 100  # the reliability target reads the deciles with at least this many starts


def _season(items: list[dict], season: str) -> list[dict]:
    return [i for i in items if i.get("season") == season]


def render_evaluate(payload: dict[str, Any]) -> str:
    """The README's real-data evaluation block from `kzone evaluate`'s JSON: the verdicts first (the picks
    system and its targets, the book drift check), then per season the book, the picks by side, every
    start with action and the calibration before and after."""
    f = payload["figures"]
    history = f.get("history") or ["", f["window"][0]]
    if not f.get("seasons"):  # recorded before evaluations ran per season: one season, the window's
        f = _one_season(f, f["window"][1][:4])
    seasons = f["seasons"]
    quarantined = f", {f['lines_quarantined']:,} quarantined" if f.get("lines_quarantined") else ""
    lines = [
        "### Real-data evaluation (`make evaluate`)",
        "",
        measured_line(payload),
        "",
        f"Walk-forward on the real Retrosheet starts: history from {history[0]}, then {f['window'][0]} → "
        f"{f['window'][1]} scored with monthly retraining ({', '.join(seasons)}: each season's first models "
        "trained on the seasons before it only; every model, its market blend"
        + (
            f", its calibration curve and {_stacked()}'s weights trained on games before the dates they score). "
            if "stacking_weights" in f
            else f" trained on games before the dates it scores; recorded before calibration and {_stacked()}). "
        )
        + f"Lines: {f.get('lines_source', 'synthetic')} ({f.get('lines_loaded', 0):,} loaded{quarantined}).",
    ]
    lines += _picks_lines(f, seasons)
    lines += _drift_lines(f)
    for season in seasons:
        lines += _season_lines(f, season)
    lines += _weights_lines(f)
    before = [r for r in f["rows"] if r.get("without_short_starts")]
    if before and len(seasons) == 1:  # the old rule's figures cover the whole window: one season only
        lines += [
            "",
            "Graded the old way — a start of 6 outs or fewer voided and left out of every metric, which no "
            "sportsbook does — the same predictions read better than they are (whole window):",
            "",
            "| model | starts, old rule | MAE, old rule | MAE, every start | hit rate, old rule | hit rate, every start |",
            "|---|---|---|---|---|---|",
        ]
        for r in before:
            old = r["without_short_starts"]
            lines.append(
                f"| `{r['model']}` | {old['n']:,} | {old['mae']:.3f} | {r['mae']:.3f} | "
                f"{_num(old['hit_rate'], '.3f')} | {_num(r.get('hit_rate'), '.3f')} |"
            )
    for warning in f.get("warnings", []):
        lines += ["", f"- {warning}"]
    lines += ["", f"The whole evaluation took {f['seconds']:.0f} s."]
    return "\n".join(lines)


def _one_season(f: dict[str, Any], season: str) -> dict[str, Any]:
    """A single-window record read as one season (every row of it that season, P(over) as calibrated)."""
    tag = {"season": season}
    return {
        **f,
        "seasons": [season],
        "rows": [{**r, **tag} for r in f["rows"]],
        "market": [{**m, **tag} for m in f.get("market", [])],
        "calibration": [{"measure": "p_over", **c, **tag} for c in f.get("calibration", [])],
        "pit": [{**p, **tag} for p in f.get("pit", [])],
    }


def _gap(f: dict[str, Any], season: str, system: str, measure: str) -> float | None:
    gaps = [
        abs(c["calibration_gap"])
        for c in _season(f.get("calibration", []), season)
        if c["system_id"] == system
        and c.get("measure", "p_over") == measure
        and c["n"] >= MIN_DECILE_STARTS
        and c["calibration_gap"] is not None
    ]
    return max(gaps) if gaps else None


def _picks_lines(f: dict[str, Any], seasons: list[str]) -> list[str]:
    chosen = f.get("picks_system") or {}
    if not chosen:
        return []
    system, season = chosen["system_id"], chosen["season"]
    ranking = f.get("ranking") or {}
    per_season = ranking.get("per_season", {})
    held = ranking.get("holds")
    verdict = (
        "the ranking holds across the seasons"
        if held
        else "the ranking does NOT hold across the seasons"
        + (f" (`{system}` is first in every season)" if ranking.get("best_holds") else "")
    )
    row = next((r for r in _season(f["rows"], season) if r["model"] == system), {})
    market = next((m for m in _season(f.get("market", []), season) if m["system_id"] == system), {})
    gap = _gap(f, season, system, "p_over")
    raw_gap = _gap(f, season, system, "p_over_raw")
    pick_gap = _gap(f, season, system, "p_pick")

    def met(ok: bool | None) -> str:
        return "–" if ok is None else ("met" if ok else "missed")

    brier, book, pick = market.get("system_brier"), market.get("book_brier"), market.get("pick_brier")
    lines = [
        "",
        f"**The picks system is `{system}`**: {chosen['reason']} — `KZONE_PICKS_SYSTEM`'s default, read "
        "from this file (`measured_picks_system`). Systems by count log loss, best first: "
        + "; ".join(f"{s}: " + ", ".join(f"`{m}`" for m in order) for s, order in per_season.items())
        + f" — {verdict}.",
        "",
        f"Targets for the picks system on {season} (issue 22; every start with action, the book's Brier on "
        "the same starts; reliability over the deciles with at least 100 starts):",
        "",
        "| measure | measured | target | |",
        "|---|---|---|---|",
        f"| MAE | {_num(row.get('mae'), '.3f')} | ≤ {TARGETS['mae']:.3f} | "
        f"{met(None if row.get('mae') is None else row['mae'] <= TARGETS['mae'])} |",
        f"| count log loss | {_num(row.get('count_log_loss'), '.4f')} | ≤ {TARGETS['count_log_loss']:.3f} | "
        f"{met(None if row.get('count_log_loss') is None else row['count_log_loss'] <= TARGETS['count_log_loss'])} |",
        f"| Brier P(over), calibrated (raw before the curve: {_num(market.get('system_raw_brier'), '.4f')}) | "
        f"{_num(brier, '.4f')} | ≤ the book's {_num(book, '.4f')} | "
        f"{met(None if brier is None or book is None else brier <= book)} |",
        f"| largest P(over) decile gap, calibrated (raw: {_num(raw_gap, '.3f')}) | {_num(gap, '.3f')} | "
        f"≤ {TARGETS['gap']:.2f} | {met(None if gap is None else gap <= TARGETS['gap'])} |",
        f"| Brier of the market-aware pick probability (the one the picks read: a market logistic of the "
        f"system's and the book's P(over), learned on graded history) | {_num(pick, '.4f')} | ≤ the book's "
        f"{_num(book, '.4f')} | {met(None if pick is None or book is None else pick <= book)} |",
        f"| largest decile gap of the market-aware pick probability | {_num(pick_gap, '.3f')} | "
        f"≤ {TARGETS['gap']:.2f} | {met(None if pick_gap is None else pick_gap <= TARGETS['gap'])} |",
        f"| bias | {_num(row.get('bias'), '+.3f')} | within ±{TARGETS['bias']:.2f} | "
        f"{met(None if row.get('bias') is None else abs(row['bias']) <= TARGETS['bias'])} |",
    ]
    return lines


def _drift_lines(f: dict[str, Any]) -> list[str]:
    drift = f.get("book_drift") or []
    if not drift:
        return []
    lines = [
        "",
        "**Book drift check** (`market_comparison`): the book's line as a forecast against the best system's, "
        "same starts. A book more than 0.02 K softer than our best forecast measures nothing. Its lean beside "
        "it: line − actual and the over rate (the real market on 1,391 posted lines of 2022: −0.22 K, 0.524; "
        "python_models/demo/market.py).",
        "",
        "| season | book line MAE | best system | its MAE | book softer by (K) | line − actual | over rate | verdict |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for d in drift:
        lines.append(
            f"| {d['season']} | {d['book_line_mae']:.3f} | `{d['best_system']}` | {d['best_system_mae']:.3f} | "
            f"{d['book_softer_by']:+.3f} | {_num(d.get('book_line_bias'), '+.2f')} | "
            f"{_num(d.get('over_rate'), '.3f')} | {d['label'] or 'sharp enough to measure against'} |"
        )
    return lines


def _season_lines(f: dict[str, Any], season: str) -> list[str]:
    soft = next((d for d in f.get("book_drift") or [] if d["season"] == season and d["is_soft"]), None)
    label = f" — **{soft['label']}**" if soft else ""
    lines = [
        "",
        f"#### {season}",
        "",
        f"**Against the book, on the same starts** (`market_comparison`: every start with action that had a "
        f"line). Brier of P(over | no push): the system's before → after its calibration curve, the "
        f"market-aware pick probability the picks read, and the book's no-vig price. Hit rate and ROI of the "
        f"picks with their 95% intervals{label}.",
        "",
        "| system | starts | MAE system | MAE book line | Brier raw → calibrated | Brier pick probability | Brier book | share picked | hit rate [95% CI] | ROI [95% CI] |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    market = _season(f.get("market", []), season)
    for m in market:
        lines.append(
            f"| `{m['system_id']}` | {int(m['n_starts']):,} | {_num(m['system_mae'], '.3f')} | "
            f"{_num(m['book_line_mae'], '.3f')} | {_num(m.get('system_raw_brier'), '.4f')} → "
            f"{_num(m['system_brier'], '.4f')} | {_num(m.get('pick_brier'), '.4f')} | "
            f"{_num(m['book_brier'], '.4f')} | "
            f"{_num(m['share_picked'], '.1%')} ({int(m['n_picks']):,}) | "
            f"{_interval(m.get('hit_rate'), m.get('hit_rate_ci_low'), m.get('hit_rate_ci_high'), '.3f')} | "
            f"{_interval(m.get('roi'), m.get('roi_ci_low'), m.get('roi_ci_high'), '+.3f')} |"
        )
    if market and "n_over_picks" in market[0]:
        lines += [
            "",
            f"Picks by side{label}:",
            "",
            "| system | OVER picks | OVER hit rate [95% CI] | OVER ROI [95% CI] | UNDER picks | UNDER hit rate [95% CI] | UNDER ROI [95% CI] |",
            "|---|---|---|---|---|---|---|",
        ]
        for m in market:
            cells = []
            for side in ("over", "under"):
                cells += [
                    f"{int(m[f'n_{side}_picks']):,}",
                    _interval(
                        m.get(f"{side}_hit_rate"),
                        m.get(f"{side}_hit_rate_ci_low"),
                        m.get(f"{side}_hit_rate_ci_high"),
                        ".3f",
                    ),
                    _interval(
                        m.get(f"{side}_roi"),
                        m.get(f"{side}_roi_ci_low"),
                        m.get(f"{side}_roi_ci_high"),
                        "+.3f",
                    ),
                ]
            lines.append(f"| `{m['system_id']}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "**Every start with action** (`system_performance`: the pitcher started, however short the outing), "
        "beside the naive reference on exactly the same starts; calibration from `distribution_calibration` "
        "(largest |observed − predicted| over the P(over) deciles with at least 100 starts, before → after the "
        "curve; PIT flatness: each tenth's share / 0.1, 1.0 flat).",
        "",
        "| model | starts | MAE | RMSE | bias | count log loss | Brier P(over) | largest decile gap raw → calibrated | PIT flatness |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    pit = _season(f.get("pit", []), season)
    for r in _season(f["rows"], season):
        flat = [p["flatness"] for p in pit if p["system_id"] == r["model"] and p["flatness"] is not None]
        raw, after = _gap(f, season, r["model"], "p_over_raw"), _gap(f, season, r["model"], "p_over")
        gap = "–" if after is None else f"{_num(raw, '.3f')} → {after:.3f}"
        lines.append(
            f"| `{r['model']}` | {r['n']:,} | {_num(r['mae'], '.3f')} | {_num(r['rmse'], '.3f')} | "
            f"{_num(r['bias'], '+.3f')} | {_num(r.get('count_log_loss'), '.4f')} | "
            f"{_num(r.get('brier_over'), '.4f')} | {gap} | "
            f"{f'{min(flat):.2f} – {max(flat):.2f}' if flat else '–'} |"
        )
    return lines


def _stacked() -> str:
    """The stacked systems' ids (vars.systems), as the texts name them."""
    return " and ".join(spec.system_id for spec in stacked_systems())


def _weights_lines(f: dict[str, Any]) -> list[str]:
    weights = f.get("stacking_weights") or []
    if not weights:
        return []
    components = list(weights[0]["weights"])
    lines = [
        "",
        f"**{_stacked()}'s weights** (model cards): a linear pool of the components' distributions, weights "
        "learned walk-forward by maximum likelihood on their graded out-of-sample predictions before the "
        "cut-off (equal until 300 starts are graded).",
        "",
        "| trained through | graded starts learned on | " + " | ".join(f"`{c}`" for c in components) + " |",
        "|---|---|" + "---|" * len(components),
    ]
    for w in weights:
        lines.append(
            f"| {w['trained_through']} | {w['rows']:,} | "
            + " | ".join(f"{w['weights'].get(c, 0.0):.2f}" for c in components)
            + " |"
        )
    return lines


def render_bench(payload: dict[str, Any]) -> str:
    """The README's benchmark block from `benchmarks/run.py`'s JSON."""
    f = payload["figures"]
    lines = [
        "### Benchmarks (`make bench`)",
        "",
        measured_line(payload),
        " Each benchmark runs in its own process; figures are printed and recorded, never asserted by tests.",
        "",
        "| benchmark | wall s | warehouse queries | predictions | pred/s | peak RSS MB |",
        "|---|---|---|---|---|---|",
    ]
    for name, r in f["benchmarks"].items():
        if "error" in r:
            lines.append(f"| {name} | failed: {r['error']} | | | | |")
            continue
        predictions, rate = r.get("predictions"), r.get("pred_per_s")
        lines.append(
            f"| {name} | {r['wall_s']:.3f} | {r.get('queries') or '–'} | "
            f"{f'{predictions:,}' if predictions else '–'} | {f'{rate:,.0f}' if rate else '–'} | "
            f"{r['peak_rss_mb']:.0f} |"
        )
        if r.get("target"):
            lines[-1] += f" target: {r['target']}"
    for line in f.get("summary", []):
        lines += ["", line]
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[dict[str, Any]], str]] = {"evaluate": render_evaluate, "bench": render_bench}
