"""The synthetic book's hyper-parameters and their walk-forward fits (``market_params.json`` beside this module).

``benchmarks/tune_market.py --through S`` fits ``MarketParams`` on 2014..S only and records the fit here
(``record_fit``); a season is priced with the newest fit on seasons BEFORE it (``params_for``), and a season
without such a fit is refused, never priced with a fit that saw it. See ``python_models.demo.market``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from pathlib import Path


@dataclass(frozen=True)
class MarketParams:
    """The sharp book's hyper-parameters. The defaults are the 2014-2021 fit (the tuner's starting point);
    a season is priced with ``params_for(season)``, the newest fit on seasons before it."""

    rate_half_life_days: float = 190.0
    rate_prior_bf: float = 95.7
    newcomer_rate_factor: float = 0.807
    league_half_life_days: float = 22.5
    rate_uncertainty: float = 1.03
    opponent_half_life_days: float = 65.0
    opponent_prior_pa: float = 492.0
    opponent_weight: float = 0.955
    platoon_effect: float = -0.00421
    no_dh_effect: float = 0.0281
    bf_half_life_days: float = 189.0
    bf_prior_starts: float = 2.51
    newcomer_bf_factor: float = 0.894
    bf_sd: float = 2.85
    bf_sd_slope: float = 0.152
    bf_shift: float = 0.912
    early_prob: float = 0.135
    early_drop: float = 4.76
    early_sd: float = 5.44
    short_exit_prob: float = 0.00504
    short_exit_max_bf: int = 10
    park_prior_pa: float = 1090.0
    park_weight: float = 0.505
    umpire_prior_pa: float = 11700.0
    umpire_weight: float = 1.69
    home_rate_effect: float = 0.0433
    day_rate_effect: float = 0.028
    late_season_rate_effect: float = 0.0231
    recent_bf_weight: float = 0.508
    opponent_on_base_bf_effect: float = -2.0
    home_bf_effect: float = 0.358
    late_season_bf_effect: float = -0.863
    first_start_bf_effect: float = -0.326
    short_rest_bf_effect: float = -1.98
    long_rest_bf_effect: float = -1.84
    rate_sd_game: float = 0.000203
    typical_rate_offset: float = 0.0291
    hook_rate_offset: float = -0.267
    hold: float = 0.045
    hold_spread: float = 0.003  # each quote's hold is uniform on hold ± this
    # The real market's measured lean (issue 22: 1,391 real posted lines of 2022 through `kzone evaluate
    # --lines`): the line shaded low (line - actual -0.22 K on average) and the over winning 52.4%. The book
    # posts the half line whose P(over) is nearest this rate instead of the median (0.5 = unbiased).
    line_target_over: float = 0.524


PARAMS = MarketParams()
PARAMS_FILE = Path(__file__).with_name("market_params.json")  # the walk-forward fits, by last season seen


def _fits() -> dict[int, dict]:
    if not PARAMS_FILE.exists():
        return {}
    return {int(f["through_season"]): f for f in json.loads(PARAMS_FILE.read_text())["fits"]}


def record_fit(
    through: int, fit_seasons: list[int], params: dict, stages: str, line_mae: float | None
) -> None:
    """Record (or replace) the fit on seasons up to ``through`` (``benchmarks/tune_market.py`` writes it)."""
    fits = _fits()
    fits[through] = {
        "through_season": through,
        "fit_seasons": fit_seasons,
        "stages": stages,
        "line_mae_fit_seasons": line_mae,
        "params": params,
    }
    body = {"fits": [fits[k] for k in sorted(fits)]}
    PARAMS_FILE.write_text(json.dumps(body, indent=2) + "\n")


def params_for(season: int) -> MarketParams:
    """The book's hyper-parameters for pricing ``season``: the newest fit on seasons before it only."""
    fits = _fits()
    earlier = [s for s in fits if s < season]
    if not earlier:
        raise ValueError(
            f"no synthetic-book fit on seasons before {season} in {PARAMS_FILE.name}: run "
            f"`benchmarks/tune_market.py --through {season - 1}` (a fit that saw {season} would leak it)"
        )
    known = {f.name for f in fields(MarketParams)}
    fitted = fits[max(earlier)]["params"]
    return MarketParams(**{k: v for k, v in fitted.items() if k in known})
