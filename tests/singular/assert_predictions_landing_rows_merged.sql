{#- Gate predictions_landing_rows_merged: every row of the scorer's landing table is in pitcher_strikeouts
    with its latest content (scored_at), whatever its date. An error wherever it runs (never a warning in a
    log): a backfilled row that did not merge means the monitoring views are silently missing predictions.
    Zero tolerance. -#}
{{ config(severity='error') }}
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
