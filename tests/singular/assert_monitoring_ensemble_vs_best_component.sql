{#- Gate monitoring_ensemble_vs_best_component: over the trailing window, on pitcher-days where the
    ensemble and both its components are graded, the ensemble's MAE is not worse than its best component's by more than
    var('ensemble_mae_tolerance') K (0.10: a blend may trail its best part a little on a short window; more
    means the weights no longer fit). Needs var('min_graded_for_mae_gate') common pitcher-days. -#}

{%- set ensemble = kzone_ensemble() -%}
{%- set first, second = ensemble['components'][0], ensemble['components'][1] %}

with

comparison as (

    select * from {{ ref('system_comparison') }}
    where
        game_date <= {{ as_of_date() }}
        and game_date > {{ dbt.dateadd('day', -1 * (var('trailing_mae_days') | int), as_of_date()) }}
        and {{ first }}_absolute_error is not null
        and {{ second }}_absolute_error is not null
        and {{ ensemble['system_id'] }}_absolute_error is not null

),

maes as (

    select
        count(*) as n_common,
        avg({{ ensemble['system_id'] }}_absolute_error) as ensemble_mae,
        avg({{ first }}_absolute_error) as first_component_mae,
        avg({{ second }}_absolute_error) as second_component_mae

    from comparison

)

select * from maes
where
    n_common >= {{ var('min_graded_for_mae_gate') }}
    and ensemble_mae > least(first_component_mae, second_component_mae) + {{ var('ensemble_mae_tolerance') }}
