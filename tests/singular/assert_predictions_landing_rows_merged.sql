{#- Gate predictions_landing_rows_merged: every row of the scorer's landing table is in pitcher_strikeouts
    with its latest content (scored_at), whatever its date. An error wherever it runs (never a warning in a
    log): a backfilled row that did not merge means the monitoring views are silently missing predictions.
    Zero tolerance. A row held back by a row-level rule (int_predictions_checked) is never merged: gate
    predictions_no_rows_held_back and predictions_quarantine report it instead. -#}
{{ config(severity='error') }}
with

-- The one definition of "not merged yet" (macro unmerged_landing_rows), as fct_pitcher_strikeouts applies it.
unmerged as (

    {{ unmerged_landing_rows(ref('stg_scoring__predictions'), ref('fct_pitcher_strikeouts')) }}

),

held_back as (

    select prediction_id
    from {{ ref('int_predictions_checked') }}
    where quarantine_rule is not null and prediction_id is not null

),

not_merged as (

    select
        unmerged.prediction_id,
        unmerged.system_id,
        unmerged.pitcher_lookup,
        unmerged.game_date,
        unmerged.scored_at

    from unmerged
    where unmerged.prediction_id not in (select held_back.prediction_id from held_back)

)

select * from not_merged
