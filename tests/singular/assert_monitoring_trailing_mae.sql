{#- Gate monitoring_trailing_mae: per system, the MAE over the trailing var('trailing_mae_days') days before
    as_of_date() is no worse than the naive reference's MAE on exactly the same rows (int_naive_reference:
    season-to-date K per start, then prior season, career, league) plus var('trailing_mae_tolerance') K.
    A model that cannot beat a fan's guess is broken, whatever its absolute MAE. Every start with action
    counts (short starts included). Evaluated with at least var('min_graded_for_mae_gate') rows. -#}
with

graded as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where
        is_graded
        and reference_absolute_error is not null
        and game_date <= {{ as_of_date() }}
        and game_date > {{ dbt.dateadd('day', -1 * (var('trailing_mae_days') | int), as_of_date()) }}

),

per_system as (

    select
        system_id,
        count(*) as n_graded,
        avg(absolute_error) as trailing_mae,
        avg(reference_absolute_error) as reference_mae

    from graded
    group by 1

)

select * from per_system
where
    n_graded >= {{ var('min_graded_for_mae_gate') }}
    and trailing_mae > reference_mae + {{ var('trailing_mae_tolerance') }}
