{#- Gate sportsbook_prices_plausible: every line capture's two prices make a margin (implied P(over) +
    implied P(under) - 1) no real book would post outside [-var('odds_pair_margin_tolerance'),
    var('odds_pair_max_margin')] (python_models/predictors/markets.py reads the same vars). The loaders
    reject such a row and the scorer never uses it; this catches one written into raw.strikeout_lines past
    the loaders. The rows returned are the implausible captures. -#}
with

lines as (

    select * from {{ ref('stg_sportsbook__strikeout_lines') }}

),

margins as (

    select
        lines.game_date,
        lines.pitcher_id,
        lines.bookmaker,
        lines.captured_at,
        lines.over_odds,
        lines.under_odds,
        {{ implied_probability('lines.over_odds') }}
        + {{ implied_probability('lines.under_odds') }} - 1.0 as price_margin

    from lines

),

implausible as (

    select * from margins
    where
        price_margin < -1.0 * {{ var('odds_pair_margin_tolerance') }}
        or price_margin > {{ var('odds_pair_max_margin') }}

)

select * from implausible
