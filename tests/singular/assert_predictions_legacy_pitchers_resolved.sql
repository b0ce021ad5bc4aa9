{#- Gate predictions_legacy_pitchers_resolved: every migrated legacy prediction resolves to one pitcher
    (int_predictions_unioned: the starter of its date with that name slug, else dim_pitchers). A row that
    does not is never silently voided: it is `unresolved`, and this gate counts and names it (pitcher
    lookup, date, system) so it can be mapped. Zero tolerance. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

)

select
    pitcher_lookup,
    pitcher_name,
    game_date,
    system_id,
    model_version
from predictions
where prediction_source = 'legacy' and result = 'unresolved'
