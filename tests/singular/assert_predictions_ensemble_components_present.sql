{#- Gate predictions_ensemble_components_present: every live ensemble prediction names the components it
    blended (component_systems), each of them has its own live prediction for the same pitcher and date,
    and an ensemble that blended fewer components than configured says so with an `ensemble_fallback` flag.
    The scorer writes each system's rows independently; this checks they tell one story. -#}
{%- set ensemble = kzone_ensemble()['system_id'] -%}

with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where prediction_source = 'landing' and prediction_status = 'live'

),

ensemble_rows as (

    select * from predictions
    where system_id = '{{ ensemble }}'

),

components as (

    select * from predictions
    where system_id != '{{ ensemble }}'

),

expected_components as (

    {%- for component in kzone_ensemble()['components'] %}
        select '{{ component }}' as system_id
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}

),

claimed as (

    select
        ensemble_rows.prediction_id,
        ensemble_rows.game_date,
        ensemble_rows.pitcher_id,
        ensemble_rows.red_flags,
        expected_components.system_id as component_id,
        ensemble_rows.component_systems like concat('%"', expected_components.system_id, '"%') as is_claimed

    from ensemble_rows
    cross join expected_components

),

checked as (

    select
        claimed.prediction_id,
        claimed.game_date,
        claimed.pitcher_id,
        claimed.component_id,
        claimed.is_claimed,
        components.prediction_id is not null as has_component_row,
        claimed.red_flags like concat('%ensemble_fallback:', claimed.component_id, '%') as is_flagged_fallback

    from claimed
    left join components
        on
            claimed.game_date = components.game_date
            and claimed.pitcher_id = components.pitcher_id
            and claimed.component_id = components.system_id

)

select * from checked
where
    (is_claimed and not has_component_row)
    or (not is_claimed and not is_flagged_fallback)
