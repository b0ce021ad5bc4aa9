"""Reads from the dbt feature store: the slate in ONE query, the lines, the injured list, training rows.

Every query is parameterized; table names come from validated identifiers. The feature columns are the
union of the feature sets listed once in dbt_project.yml (python_models.dbt.project).
"""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from python_models.dbt.project import all_features, feature_sets
from python_models.warehouse.base import Warehouse

HISTORY_COLUMNS = [
    "system_id",
    "game_id",
    "pitcher_id",
    "game_date",
    "strikeout_pmf",
    "strikeouts_line",
    "p_system",
    "p_market",
    "actual_strikeouts",
]
ID_COLUMNS = (
    "game_date",
    "game_id",
    "pitcher_id",
    "pitcher_lookup",
    "pitcher_name",
    "team",
    "opponent",
)


class FeatureStore:
    """The warehouse relations the runner reads, and the queries it runs on them."""

    def __init__(self, wh: Warehouse) -> None:
        self.wh = wh
        self.features = wh.relation("features", "ml_feature_store")
        self.starts = wh.relation("staging", "stg_gamelogs__pitcher_starts")
        self.line_captures_rel = wh.relation("scoring", "int_line_captures")
        self.injuries = wh.relation("staging", "stg_injuries__injured_list_entries")

    @staticmethod
    def coverage_columns() -> list[str]:
        return [f"{name}_coverage_pct" for name in feature_sets()]

    def _select_list(self, alias: str = "f") -> str:
        cols = [*ID_COLUMNS, *all_features(), *self.coverage_columns(), "feature_coverage_pct"]
        return ", ".join(f"{alias}.{c}" for c in cols)

    def slate(self, days: date | list[date]) -> pd.DataFrame:
        """Every probable starter of ``days`` (one date, or a backfill's batch of dates) with all features:
        one query for them all."""
        days = [days] if isinstance(days, date) else list(days)
        sql = (
            f"select {self._select_list()} from {self.features} as f "
            "where f.game_date in (select d from unnest(@game_dates) as d) order by f.game_date, f.pitcher_id"
        )
        return self.wh.query(sql, {"game_dates": days})

    def line_captures(self, cutoffs: list[datetime]) -> pd.DataFrame:
        """Every book's latest capture per probable starter of each cut-off's date that a morning run could
        have seen: captured before that cut-off (the scoring cut-off, a runtime value, on the game's date)
        among dbt's captures before first pitch (int_line_captures: the rule's one definition). One row per
        date, pitcher and book (one query for every date); `consensus_lines` picks the one line that counts."""
        sql = f"""
            with cutoffs as (
                select c as cutoff_at from unnest(@cutoffs) as c
            )
            select
                l.game_date,
                l.pitcher_id,
                l.bookmaker,
                l.strikeouts_line,
                l.over_odds,
                l.under_odds,
                l.captured_at
            from {self.line_captures_rel} as l
            inner join {self.features} as f
                on l.pitcher_id = f.pitcher_id and l.game_date = f.game_date
            inner join cutoffs as k
                on l.game_date = cast(k.cutoff_at as date)
            where l.captured_at < k.cutoff_at
            qualify row_number() over (
                partition by l.game_date, l.pitcher_id, l.bookmaker order by l.captured_at desc
            ) = 1
        """
        frame = self.wh.query(sql, {"cutoffs": list(cutoffs)})
        frame["game_date"] = pd.to_datetime(frame["game_date"]).dt.date
        return frame

    def injured(self, day: date) -> set[str]:
        """Pitchers listed on the injured list in the scrape of ``day`` or the day before."""
        sql = f"""
            select distinct i.pitcher_id
            from {self.injuries} as i
            where i.scraped_date between @since and @game_date
        """
        since = date.fromordinal(day.toordinal() - 1)
        frame = self.wh.query(sql, {"since": since, "game_date": day})
        return set(frame["pitcher_id"]) if not frame.empty else set()

    def training_set(self, through: date, since: date | None = None) -> pd.DataFrame:
        """Feature rows with their actual strikeouts for games on or before ``through`` (nothing later)."""
        since_clause = "and f.game_date >= @since" if since else ""
        sql = f"""
            select {self._select_list()}, s.strikeouts as actual_strikeouts, s.batters_faced as actual_batters_faced
            from {self.features} as f
            inner join {self.starts} as s
                on f.game_id = s.game_id and f.pitcher_id = s.pitcher_id
            where f.game_date <= @through {since_clause}
            order by f.game_date, f.pitcher_id
        """
        params: dict[str, object] = {"through": through}
        if since:
            params["since"] = since
        return self.wh.query(sql, params)

    def graded_history(self, through: date) -> pd.DataFrame:
        """Every system's graded predictions of games on or before ``through`` (nothing later), each made
        by a model trained before its date: the stored distribution (``strikeout_pmf``, the model's own,
        before any calibration), the line, the stored P(over | no push), the book's no-vig P(over | no push)
        and the observed strikeouts. What a version trained through ``through`` may learn from (the market
        blend, the calibration curve, the stacking weights)."""
        landing = self.wh.relation("scoring", "predictions_landing")
        columns = HISTORY_COLUMNS
        if not self.wh.table_exists("scoring", "predictions_landing") or "market_p_over" not in set(
            self.wh.columns_of("scoring", "predictions_landing")
        ):
            return pd.DataFrame(columns=columns)
        sql = f"""
            select
                p.system_id,
                p.game_id,
                p.pitcher_id,
                p.game_date,
                p.strikeout_pmf,
                p.strikeouts_line,
                case when p.p_over + p.p_under > 0 then p.p_over / (p.p_over + p.p_under) end as p_system,
                p.market_p_over as p_market,
                s.strikeouts as actual_strikeouts
            from {landing} as p
            inner join {self.starts} as s
                on p.game_id = s.game_id and p.pitcher_id = s.pitcher_id
            where p.game_date <= @through and s.strikeouts is not null
        """
        return self.wh.query(sql, {"through": through})

    def slate_dates(self, start: date, end: date) -> list[date]:
        sql = f"""
            select distinct f.game_date
            from {self.features} as f
            where f.game_date between @start and @end
            order by f.game_date
        """
        frame = self.wh.query(sql, {"start": start, "end": end})
        return [pd.Timestamp(d).date() for d in frame["game_date"]] if not frame.empty else []
