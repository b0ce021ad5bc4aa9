{#- Gate monitoring_calibration: per system over the trailing window, the mean predicted P(over) is within
    var('calibration_tolerance') (0.05) of the observed over rate on graded predictions with a line.
    Evaluated with at least var('min_graded_for_mae_gate') rows (with 50 rows the sampling error of a rate
    is ~0.07 at worst, so the gate speaks for systematic miscalibration on realistic windows). -#}
with

graded as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where
        is_graded
        and p_over is not null
        and strikeouts_line is not null
        and game_date <= {{ as_of_date() }}
        and game_date > {{ dbt.dateadd('day', -1 * (var('trailing_mae_days') | int), as_of_date()) }}

),

per_system as (

    select
        system_id,
        count(*) as n_graded,
        avg(p_over) as mean_p_over,
        avg(case when actual_strikeouts > strikeouts_line then 1.0 else 0.0 end) as observed_over_rate

    from graded
    group by 1

)

select * from per_system
where
    n_graded >= {{ var('min_graded_for_mae_gate') }}
    and abs(mean_p_over - observed_over_rate) > {{ var('calibration_tolerance') }}
