{#- Gate predictions_landing_rows_merged: every row of the scorer's landing table is in pitcher_strikeouts
    with its latest content (scored_at). Catches a landing row outside the incremental window (back-scored
    dates older than var('predictions_merge_window_days')): widen the var or --full-refresh. Zero tolerance. -#}
with

landing as (

    select * from {{ ref('stg_scoring__predictions') }}

),

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

not_merged as (

    select
        landing.prediction_id,
        landing.system_id,
        landing.pitcher_lookup,
        landing.game_date,
        landing.scored_at,
        predictions.scored_at as merged_scored_at

    from landing
    left join predictions
        on landing.prediction_id = predictions.prediction_id
    where
        predictions.prediction_id is null
        or predictions.scored_at < landing.scored_at

)

select * from not_merged
