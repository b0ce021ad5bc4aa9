{#- Accuracy per system over all time, per season and per month, on graded predictions (voids and
    pending excluded; see doc grading_rule). Betting metrics use OVER/UNDER picks; pushes count in
    neither hits nor misses. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

scored as (

    select
        system_id,
        result,
        recommendation,
        season,
        predicted_strikeouts,
        actual_strikeouts,
        absolute_error,
        confidence,
        p_over,
        strikeouts_line,
        is_graded,
        game_date,
        cast({{ dbt.date_trunc('month', 'game_date') }} as date) as month_start,
        case when is_graded then predicted_strikeouts - actual_strikeouts end as signed_error,
        -- Poisson negative log likelihood of the actual count; the mean is floored at 0.01 (log(0)).
        case
            when is_graded
                then
                    {{ log_factorial('actual_strikeouts') }}
                    + case when predicted_strikeouts > 0.01 then predicted_strikeouts else 0.01 end
                    - actual_strikeouts
                    * ln(case when predicted_strikeouts > 0.01 then predicted_strikeouts else 0.01 end)
        end as poisson_nll,
        case
            when is_graded and p_over is not null
                then case when actual_strikeouts > strikeouts_line then 1.0 else 0.0 end
        end as is_over_outcome,
        case when result in ('win', 'loss') then 1 else 0 end as is_decided_pick,
        case when result = 'win' then 1 else 0 end as is_win,
        case when result = 'push' then 1 else 0 end as is_push,
        case when result = 'void' then 1 else 0 end as is_void,
        case when result = 'pending' then 1 else 0 end as is_pending,
        case when recommendation in ('OVER', 'UNDER') then 1 else 0 end as is_pick

    from predictions

),

by_period as (

    select
        'all' as period_grain,
        'all' as period_label,
        scored.*
    from scored
    union all
    select
        'season' as period_grain,
        cast(scored.season as {{ dbt.type_string() }}) as period_label,
        scored.*
    from scored
    union all
    select
        'month' as period_grain,
        cast(scored.month_start as {{ dbt.type_string() }}) as period_label,
        scored.*
    from scored

),

aggregated as (

    select
        system_id,
        period_grain,
        period_label,
        count(*) as n_predictions,
        sum(case when is_graded then 1 else 0 end) as n_graded,
        sum(is_void) as n_void,
        sum(is_pending) as n_pending,
        sum(is_pick) as n_picks,
        sum(is_decided_pick) as n_decided_picks,
        sum(is_win) as n_wins,
        sum(is_push) as n_pushes,
        avg(absolute_error) as mae,
        sqrt(avg(signed_error * signed_error)) as rmse,
        avg(signed_error) as bias,
        avg(poisson_nll) as poisson_log_loss,
        avg(power(p_over - is_over_outcome, 2)) as brier_over,
        avg(case when is_over_outcome is not null then p_over end) as mean_p_over,
        avg(is_over_outcome) as observed_over_rate,
        sum(case when is_over_outcome is not null then 1 else 0 end) as n_with_probability,
        avg(confidence) as avg_confidence,
        min(game_date) as first_game_date,
        max(game_date) as last_game_date

    from by_period
    group by 1, 2, 3

),

final as (

    select
        system_id,
        period_grain,
        period_label,
        n_predictions,
        n_graded,
        n_void,
        n_pending,
        n_picks,
        n_decided_picks,
        n_wins,
        n_pushes,
        mae,
        rmse,
        bias,
        poisson_log_loss,
        brier_over,
        n_with_probability,
        mean_p_over,
        observed_over_rate,
        avg_confidence,
        1.0 * n_wins / nullif(n_decided_picks, 0) as hit_rate,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'lower') }} as hit_rate_ci_low,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'upper') }} as hit_rate_ci_high,
        first_game_date,
        last_game_date

    from aggregated

)

select * from final
