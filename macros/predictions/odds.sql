{#- American odds in settlement: dbt grades the picks, so it owns what a winning bet pays. The scorer's
    Python (python_models/predictors/markets.py) prices the same odds before the game; a test checks the two
    agree on every pick. -#}

{#- Profit per unit staked when a bet at these American odds wins: -110 -> 0.909, +120 -> 1.2. -#}
{% macro american_odds_profit(odds) -%}
    case
        when {{ odds }} < 0 then 100.0 / (-1.0 * {{ odds }})
        else {{ odds }} / 100.0
    end
{%- endmacro %}

{#- Implied probability of American odds, vig included: -110 -> 0.5238, +120 -> 0.4545. -#}
{% macro implied_probability(odds) -%}
    case
        when {{ odds }} < 0 then -1.0 * {{ odds }} / (100.0 - {{ odds }})
        else 100.0 / ({{ odds }} + 100.0)
    end
{%- endmacro %}

{#- The book's no-vig P(over | no push) from a two-way price (proportional method). -#}
{% macro no_vig_over_probability(over_odds, under_odds) -%}
    ({{ implied_probability(over_odds) }})
    / (({{ implied_probability(over_odds) }}) + ({{ implied_probability(under_odds) }}))
{%- endmacro %}
