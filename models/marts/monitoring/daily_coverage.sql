{#- Per game date: pitchers with a live prediction, live systems per pitcher (min/max), which systems ran,
    and how many systems are configured active (var('active_systems'), passed by the runner). Withdrawn
    predictions (a replaced starter) are not coverage. Legacy dates have one system per pitcher by nature
    (is_landing_era false). One has_<system> column per system of var('systems'). -#}
{%- set systems = kzone_system_ids() -%}
{%- set active_systems = kzone_active_systems() -%}

with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where prediction_status = 'live'

),

per_pitcher as (

    select
        game_date,
        pitcher_id,
        count(distinct case when system_id in {{ sql_string_list(active_systems) }} then system_id end)
            as n_active_systems_predicted

    from predictions
    where pitcher_id is not null
    group by 1, 2

),

per_date_pitchers as (

    select
        game_date,
        count(*) as n_pitchers_predicted,
        min(n_active_systems_predicted) as min_systems_per_pitcher,
        max(n_active_systems_predicted) as max_systems_per_pitcher

    from per_pitcher
    group by 1

),

systems_run as (

    select distinct
        game_date,
        system_id

    from predictions

),

per_date_systems as (

    select
        game_date,
        count(*) as n_systems_run,
        string_agg(system_id, ',' order by system_id) as systems_run

    from systems_run
    group by 1

),

per_date_predictions as (

    select
        game_date,
        count(*) as n_predictions,
        {%- for system in systems %}
            max(case when system_id = '{{ system }}' then 1 else 0 end) = 1 as has_{{ system }},
        {%- endfor %}
        max(case when prediction_source = 'landing' then 1 else 0 end) = 1 as is_landing_era

    from predictions
    group by 1

),

final as (

    select
        per_date_predictions.game_date,
        per_date_systems.systems_run,
        per_date_pitchers.n_pitchers_predicted,
        per_date_predictions.n_predictions,
        per_date_systems.n_systems_run,
        {{ active_systems | length }} as n_active_systems,
        per_date_pitchers.min_systems_per_pitcher,
        per_date_pitchers.max_systems_per_pitcher,
        {%- for system in systems %}
            per_date_predictions.has_{{ system }},
        {%- endfor %}
        per_date_predictions.is_landing_era

    from per_date_predictions
    inner join per_date_pitchers
        on per_date_predictions.game_date = per_date_pitchers.game_date
    inner join per_date_systems
        on per_date_predictions.game_date = per_date_systems.game_date

)

select * from final
