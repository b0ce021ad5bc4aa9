{#- Per game date: pitchers predicted, systems per pitcher (min/max) and which systems ran. Legacy dates
    have one system per pitcher by nature (is_landing_era false). The columns
    name each system, so the list is spelled out here. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

per_pitcher as (

    select
        game_date,
        pitcher_lookup,
        count(distinct system_id) as n_systems

    from predictions
    group by 1, 2

),

per_date_pitchers as (

    select
        game_date,
        count(*) as n_pitchers_predicted,
        min(n_systems) as min_systems_per_pitcher,
        max(n_systems) as max_systems_per_pitcher

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
        max(case when system_id = 'v1_baseline' then 1 else 0 end) = 1 as has_v1_baseline,
        max(case when system_id = 'v1_6_rolling' then 1 else 0 end) = 1 as has_v1_6_rolling,
        max(case when system_id = 'ensemble_v1' then 1 else 0 end) = 1 as has_ensemble_v1,
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
        per_date_pitchers.min_systems_per_pitcher,
        per_date_pitchers.max_systems_per_pitcher,
        per_date_predictions.has_v1_baseline,
        per_date_predictions.has_v1_6_rolling,
        per_date_predictions.has_ensemble_v1,
        per_date_predictions.is_landing_era

    from per_date_predictions
    inner join per_date_pitchers
        on per_date_predictions.game_date = per_date_pitchers.game_date
    inner join per_date_systems
        on per_date_predictions.game_date = per_date_systems.game_date

)

select * from final
