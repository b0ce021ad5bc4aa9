{#- The current slate of the picks system (var('picks_system_id'), default the ensemble): the latest
    game_date on or before as_of_date() with its predictions, one row per team per game — the live
    prediction for the current starter. A prediction withdrawn because its starter was replaced is never
    shown as a pick; the row of his replacement names him (`replaces_pitcher_name`), so the sheet says why
    the pick changed. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where system_id = '{{ var("picks_system_id") }}'

),

current_slate as (

    select max(game_date) as slate_date
    from predictions
    where game_date <= {{ as_of_date() }}

),

slate as (

    select predictions.*
    from predictions
    inner join current_slate
        on predictions.game_date = current_slate.slate_date

),

withdrawn as (

    select
        game_id,
        team,
        string_agg(pitcher_name, ', ') as replaces_pitcher_name

    from slate
    where prediction_status = 'withdrawn'
    group by 1, 2

),

picks as (

    select
        slate.prediction_id,
        slate.game_id,
        slate.pitcher_id,
        slate.pitcher_lookup,
        slate.pitcher_name,
        slate.team,
        slate.opponent,
        withdrawn.replaces_pitcher_name,
        slate.bookmaker,
        slate.recommendation,
        slate.red_flags,
        slate.component_systems,
        slate.system_id,
        slate.model_version,
        slate.result,
        slate.strikeouts_line,
        slate.over_odds,
        slate.under_odds,
        slate.predicted_strikeouts,
        slate.p_over,
        slate.p_under,
        slate.p_push,
        slate.market_p_over,
        slate.pick_p_over,
        slate.market_weight,
        case
            when slate.recommendation = 'OVER' then slate.p_over
            when slate.recommendation = 'UNDER' then slate.p_under
            when slate.p_over >= slate.p_under then slate.p_over
            else slate.p_under
        end as p_side,
        case
            when slate.recommendation = 'OVER' then slate.ev_over
            when slate.recommendation = 'UNDER' then slate.ev_under
        end as ev_side,
        slate.edge,
        slate.confidence,
        slate.feature_coverage_pct,
        slate.recommendation in ('OVER', 'UNDER') as is_pick,
        slate.game_date,
        slate.scored_at

    from slate
    left join withdrawn
        on
            slate.game_id = withdrawn.game_id
            and slate.team = withdrawn.team
    where slate.prediction_status = 'live'

)

select * from picks
