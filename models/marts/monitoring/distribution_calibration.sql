{#- Is each system's whole distribution honest? Per system, over all time and per season, on every start
    with action:
    - `pit`: the share of observed counts in each tenth of the mid-PIT (P(K < actual) + P(K = actual) / 2
      under the system's strikeout_pmf); a calibrated distribution puts 10% in each (flatness = share / 0.1);
    - `p_over`: the reliability of P(over | no push) by decile of the prediction (pushes excluded): mean
      predicted vs observed over rate, and the gap between them;
    - `p_over_raw`: the same for the distribution's own P(over | no push) before the system's calibration
      curve (raw_p_over_given_no_push): the "before" of the reliability diagram;
    - `p_pick`: the same for the market-aware pick probability (pick_p_over: the book's no-vig price moved
      toward the system's by the weight graded history earned it), the probability the picks read.
    The report's PIT histogram and reliability plot, and `kzone evaluate`, read this model. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where is_graded

),

periods as (

    select
        'all' as period_grain,
        'all' as period_label,
        predictions.*
    from predictions
    union all
    select
        'season' as period_grain,
        cast(predictions.season as {{ dbt.type_string() }}) as period_label,
        predictions.*
    from predictions

),

pit_rows as (

    select
        system_id,
        period_grain,
        period_label,
        least(cast(floor(pit_value * 10) as {{ type_int64() }}), 9) + 1 as decile

    from periods
    where pit_value is not null

),

pit as (

    select
        system_id,
        period_grain,
        period_label,
        decile,
        count(*) as n

    from pit_rows
    group by 1, 2, 3, 4

),

pit_totals as (

    select
        system_id,
        period_grain,
        period_label,
        sum(n) as n_total

    from pit
    group by 1, 2, 3

),

over_rows as (

    select
        system_id,
        period_grain,
        period_label,
        'p_over' as measure,
        p_over / nullif(p_over + p_under, 0) as p_over_given_no_push,
        case when actual_strikeouts > strikeouts_line then 1.0 else 0.0 end as went_over

    from periods
    where
        p_over is not null
        and strikeouts_line is not null
        and actual_strikeouts != strikeouts_line

    union all

    select
        system_id,
        period_grain,
        period_label,
        'p_over_raw' as measure,
        raw_p_over_given_no_push as p_over_given_no_push,
        case when actual_strikeouts > strikeouts_line then 1.0 else 0.0 end as went_over

    from periods
    where
        raw_p_over_given_no_push is not null
        and strikeouts_line is not null
        and actual_strikeouts != strikeouts_line

    union all

    select
        system_id,
        period_grain,
        period_label,
        'p_pick' as measure,
        pick_p_over as p_over_given_no_push,
        case when actual_strikeouts > strikeouts_line then 1.0 else 0.0 end as went_over

    from periods
    where
        pick_p_over is not null
        and strikeouts_line is not null
        and actual_strikeouts != strikeouts_line

),

over_deciles as (

    select
        over_rows.*,
        ntile(10) over (
            partition by over_rows.system_id, over_rows.period_grain, over_rows.period_label, over_rows.measure
            order by over_rows.p_over_given_no_push
        ) as decile

    from over_rows

),

reliability as (

    select
        system_id,
        period_grain,
        period_label,
        measure,
        decile,
        count(*) as n,
        avg(p_over_given_no_push) as mean_predicted,
        avg(went_over) as observed_rate

    from over_deciles
    group by 1, 2, 3, 4, 5

),

final as (

    select
        pit.system_id,
        pit.period_grain,
        pit.period_label,
        'pit' as measure,
        pit.decile,
        pit.n,
        1.0 * pit.n / pit_totals.n_total as share,
        10.0 * pit.n / pit_totals.n_total as flatness,
        cast(null as {{ type_double() }}) as mean_predicted,
        cast(null as {{ type_double() }}) as observed_rate,
        cast(null as {{ type_double() }}) as calibration_gap

    from pit
    inner join pit_totals
        on
            pit.system_id = pit_totals.system_id
            and pit.period_grain = pit_totals.period_grain
            and pit.period_label = pit_totals.period_label

    union all

    select
        system_id,
        period_grain,
        period_label,
        measure,
        decile,
        n,
        cast(null as {{ type_double() }}) as share,
        cast(null as {{ type_double() }}) as flatness,
        mean_predicted,
        observed_rate,
        observed_rate - mean_predicted as calibration_gap

    from reliability

)

select * from final
