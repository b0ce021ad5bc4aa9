{#- Gate predictions_landing_rows_merged: every row of the scorer's landing table is in pitcher_strikeouts
    with its latest content (scored_at), whatever its date. An error wherever it runs (never a warning in a
    log): a backfilled row that did not merge means the monitoring views are silently missing predictions.
    Zero tolerance. A row held back by a row-level rule (int_predictions_checked) is never merged: gate
    predictions_no_rows_held_back and predictions_quarantine report it instead. -#}
{{ config(severity='error') }}
with

landing as (

    select * from {{ ref('stg_scoring__predictions') }}

),

checked as (

    select * from {{ ref('int_predictions_checked') }}

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
        (
            predictions.prediction_id is null
            or predictions.scored_at < landing.scored_at
        )
        and landing.prediction_id not in (
            select checked.prediction_id
            from checked
            where checked.quarantine_rule is not null and checked.prediction_id is not null
        )

)

select * from not_merged
