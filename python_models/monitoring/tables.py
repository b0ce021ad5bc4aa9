"""The terminal tables of the monitoring views the commands print (`kzone demo`, `kzone evaluate`)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd
from rich.table import Table


def _missing(value: Any) -> bool:
    return value is None or bool(pd.isna(value))


def market_table(rows: Iterable[Mapping[str, Any]], title: str) -> Table:
    """Every system against the book on the same starts (rows of market_comparison): MAE of the forecast
    vs the line, Brier of the probability vs the book's, share picked, hit rate and ROI with their 95%
    intervals, and closing-line value where the book moved."""
    table = Table(title=title)
    columns = ("system", "starts", "MAE system / line", "Brier system / book", "picked")
    for col in (*columns, "hit rate [95% CI]", "ROI [95% CI]", "beat the close"):
        table.add_column(col, justify="left" if col == "system" else "right")
    for m in rows:
        hit = (
            "-"
            if _missing(m.get("hit_rate"))
            else f"{m['hit_rate']:.3f} [{m['hit_rate_ci_low']:.3f}, {m['hit_rate_ci_high']:.3f}]"
        )
        roi = (
            "-"
            if _missing(m.get("roi")) or _missing(m.get("roi_ci_low"))
            else f"{m['roi']:+.3f} [{m['roi_ci_low']:+.3f}, {m['roi_ci_high']:+.3f}]"
        )
        close = m.get("n_picks_with_close")
        clv = "-" if _missing(close) or not close else f"{m['share_beat_close']:.2f} of {int(close):,}"
        table.add_row(
            str(m["system_id"]),
            f"{int(m['n_starts']):,}",
            f"{m['system_mae']:.3f} / {m['book_line_mae']:.3f}",
            f"{m['system_brier']:.4f} / {m['book_brier']:.4f}",
            f"{int(m['n_picks']):,} ({m['share_picked']:.1%})",
            hit,
            roi,
            clv,
        )
    return table
