{#- Gate predictions_no_rows_held_back: no prediction row is held back by a row-level rule as of the last
    build (predictions_quarantine rows without released_at). The held-back rows are never published,
    whatever this gate's severity: it only decides whether the run is reported as failed (the project's
    severity, KZONE_TEST_SEVERITY: a warning locally, an error in CI and production). To clear it, fix or
    delete the landing row; the next build releases it. -#}
with

quarantine as (

    select * from {{ ref('fct_predictions_quarantine') }}

),

held_back as (

    select
        quarantine_rule,
        prediction_id,
        system_id,
        pitcher_id,
        game_date,
        quarantine_detail

    from quarantine
    where released_at is null

)

select * from held_back
