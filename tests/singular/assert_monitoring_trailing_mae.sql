{#- Gate monitoring_trailing_mae: per system, the MAE of graded predictions over the trailing
    var('trailing_mae_days') days before as_of_date() stays below var('max_trailing_mae') (2.3 K: a
    predictor no better than the league mean scores ~2.1, so 2.3 means something broke). Evaluated only with
    at least var('min_graded_for_mae_gate') graded predictions, so a thin window cannot trip it by noise. -#}
with

graded as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where
        is_graded
        and game_date <= {{ as_of_date() }}
        and game_date > {{ dbt.dateadd('day', -1 * (var('trailing_mae_days') | int), as_of_date()) }}

),

per_system as (

    select
        system_id,
        count(*) as n_graded,
        avg(absolute_error) as trailing_mae

    from graded
    group by 1

)

select * from per_system
where
    n_graded >= {{ var('min_graded_for_mae_gate') }}
    and trailing_mae > {{ var('max_trailing_mae') }}
