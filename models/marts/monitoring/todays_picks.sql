{#- The ensemble's picks for the current slate: the latest game_date on or before as_of_date() that has
    ensemble predictions. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where system_id = '{{ var("ensemble_system_id") }}'

),

current_slate as (

    select max(game_date) as slate_date
    from predictions
    where game_date <= {{ as_of_date() }}

),

picks as (

    select
        predictions.prediction_id,
        predictions.game_id,
        predictions.pitcher_id,
        predictions.pitcher_lookup,
        predictions.pitcher_name,
        predictions.team,
        predictions.opponent,
        predictions.bookmaker,
        predictions.recommendation,
        predictions.red_flags,
        predictions.component_systems,
        predictions.model_version,
        predictions.result,
        predictions.strikeouts_line,
        predictions.over_odds,
        predictions.under_odds,
        predictions.predicted_strikeouts,
        predictions.p_over,
        predictions.p_under,
        predictions.p_push,
        case
            when predictions.recommendation = 'OVER' then predictions.p_over
            when predictions.recommendation = 'UNDER' then predictions.p_under
            when predictions.p_over >= predictions.p_under then predictions.p_over
            else predictions.p_under
        end as p_side,
        case
            when predictions.recommendation = 'OVER' then predictions.ev_over
            when predictions.recommendation = 'UNDER' then predictions.ev_under
        end as ev_side,
        predictions.edge,
        predictions.confidence,
        predictions.feature_coverage_pct,
        predictions.recommendation in ('OVER', 'UNDER') as is_pick,
        predictions.game_date,
        predictions.scored_at

    from predictions
    inner join current_slate
        on predictions.game_date = current_slate.slate_date

)

select * from picks
