"""The evaluation's verdicts, one place per rule: which system picks (and why), whether the systems'
ranking holds across seasons, and whether the book is sharp enough to measure anything against.
`kzone evaluate` records them; the README block and the report read them."""

from __future__ import annotations

import json
from pathlib import Path

from python_models.dbt.project import stacked_systems

BOOK_DRIFT_K = 0.02  # a book whose line MAE is worse than the best system's by more than this is soft
SOFT_BOOK = "book softer than our own forecast: no edge can be read from it"
REFERENCE_NAME = "reference: season-to-date K/start (then prior season, career, league)"


def choose_picks_system(rows: list[dict], seasons: list[str]) -> tuple[dict, dict]:
    """The picks system: the best (lowest) count log loss of the own distribution on the last evaluated
    season, every start with action. The ranking per season, and whether it holds across seasons."""
    systems = [r for r in rows if r["model"] != REFERENCE_NAME and r.get("count_log_loss") is not None]
    ranking = {
        season: [
            r["model"]
            for r in sorted((r for r in systems if r["season"] == season), key=lambda r: r["count_log_loss"])
        ]
        for season in seasons
    }
    if not seasons or not ranking[seasons[-1]]:
        return {}, {"per_season": ranking, "holds": None}
    last = seasons[-1]
    best = next(r for r in systems if r["season"] == last and r["model"] == ranking[last][0])
    runner_up = (
        next((r for r in systems if r["season"] == last and r["model"] == ranking[last][1]), None)
        if len(ranking[last]) > 1
        else None
    )
    reason = f"lowest count log loss on {last} ({best['count_log_loss']:.4f} on {best['n']:,} starts"
    reason += f"; next {runner_up['model']} {runner_up['count_log_loss']:.4f})" if runner_up else ")"
    holds = len({tuple(v) for v in ranking.values()}) == 1
    best_everywhere = all(v and v[0] == best["model"] for v in ranking.values())
    return (
        {"system_id": best["model"], "season": last, "reason": reason},
        {"per_season": ranking, "holds": holds, "best_holds": best_everywhere},
    )


def book_drift(market: list[dict], seasons: list[str]) -> list[dict]:
    """Per season: the book's line MAE against the best system's on the same starts; more than
    BOOK_DRIFT_K softer and the book is flagged (its ROI only shown with the label)."""
    out = []
    for season in seasons:
        mine = [m for m in market if m["season"] == season and m.get("system_mae") is not None]
        if not mine:
            continue
        best = min(mine, key=lambda m: m["system_mae"])
        softer_by = best["book_line_mae"] - best["system_mae"]
        out.append(
            {
                "season": season,
                "book_line_mae": best["book_line_mae"],
                "best_system": best["system_id"],
                "best_system_mae": best["system_mae"],
                "book_softer_by": softer_by,
                "book_line_bias": best.get("book_line_bias"),
                "over_rate": best.get("over_rate"),
                "is_soft": softer_by > BOOK_DRIFT_K,
                "label": SOFT_BOOK if softer_by > BOOK_DRIFT_K else "",
            }
        )
    return out


def stacking_weights(model_store: Path) -> list[dict]:
    """The stacked systems' weights per version (their cards), as learned walk-forward."""
    out = []
    for spec in stacked_systems():
        for path in sorted((Path(model_store) / spec.system_id).glob("*.card.json")):
            card = json.loads(path.read_text(encoding="utf-8"))
            out.append(
                {
                    "system_id": spec.system_id,
                    "trained_through": card["trained_through"],
                    "rows": card["params"].get("weights_rows", 0),
                    "weights": card["params"]["weights"],
                }
            )
    return out
