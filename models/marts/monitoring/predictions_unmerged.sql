{#- The scorer's landing rows the next build merges into pitcher_strikeouts: not there yet, or there with older
    content (macro unmerged_landing_rows, the rule fct_pitcher_strikeouts applies). Before a BigQuery build
    the runner reads the earliest game_date here (python_models/jobs/dbt_ops.py) and passes it as var
    predictions_merge_start, so the MERGE's partition window reaches every backfilled row. -#}
with

unmerged as (

    {{ unmerged_landing_rows(ref('stg_scoring__predictions'), ref('fct_pitcher_strikeouts')) }}

),

final as (

    select
        prediction_id,
        system_id,
        pitcher_id,
        game_date,
        scored_at

    from unmerged

)

select * from final
