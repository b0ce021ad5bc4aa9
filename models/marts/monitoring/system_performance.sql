{#- Accuracy per system over all time, per season, per month, per day, per start length (short starts
    vs the rest) and per agreement level of the ensemble's components (macro agreement_level), on every prediction with action: the pitcher started, however short the outing (doc
    grading_rule). Voids (he did not start), pending and unresolved rows are counted, never graded. Every
    metric sits beside the naive reference on exactly the same rows (reference_mae). Betting metrics use
    OVER/UNDER picks; pushes count in neither hits nor misses. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

agreement as (

    select
        game_date,
        pitcher_id,
        {{ agreement_level('component_spread') }} as agreement_level

    from {{ ref('system_comparison') }}

),

scored as (

    select
        predictions.system_id,
        predictions.result,
        predictions.recommendation,
        predictions.season,
        predictions.predicted_strikeouts,
        predictions.actual_strikeouts,
        predictions.absolute_error,
        predictions.count_log_loss,
        predictions.reference_absolute_error,
        predictions.reference_strikeouts,
        predictions.confidence,
        predictions.p_over,
        predictions.strikeouts_line,
        predictions.is_graded,
        predictions.is_short_start,
        predictions.prediction_status,
        predictions.game_date,
        agreement.agreement_level,
        cast({{ dbt.date_trunc('month', 'predictions.game_date') }} as date) as month_start,
        case
            when predictions.is_graded then predictions.predicted_strikeouts - predictions.actual_strikeouts
        end as signed_error,
        case
            when predictions.is_graded then predictions.reference_strikeouts - predictions.actual_strikeouts
        end as reference_signed_error,
        -- Poisson negative log likelihood of the actual count; the mean is floored at 0.01 (log(0)).
        case
            when predictions.is_graded
                then
                    {{ log_factorial('predictions.actual_strikeouts') }}
                    + case
                        when predictions.predicted_strikeouts > 0.01 then predictions.predicted_strikeouts else 0.01
                    end
                    - predictions.actual_strikeouts
                    * ln(
                        case
                            when predictions.predicted_strikeouts > 0.01
                                then predictions.predicted_strikeouts
                            else 0.01
                        end
                    )
        end as poisson_nll,
        case
            when predictions.is_graded and predictions.p_over is not null
                then case when predictions.actual_strikeouts > predictions.strikeouts_line then 1.0 else 0.0 end
        end as is_over_outcome,
        case when predictions.result in ('win', 'loss') then 1 else 0 end as is_decided_pick,
        case when predictions.result = 'win' then 1 else 0 end as is_win,
        case when predictions.result = 'push' then 1 else 0 end as is_push,
        case when predictions.result = 'void' then 1 else 0 end as is_void,
        case when predictions.result = 'pending' then 1 else 0 end as is_pending,
        case when predictions.result = 'unresolved' then 1 else 0 end as is_unresolved,
        case when predictions.prediction_status = 'withdrawn' then 1 else 0 end as is_withdrawn,
        case when predictions.is_short_start then 1 else 0 end as is_short,
        case when predictions.recommendation in ('OVER', 'UNDER') then 1 else 0 end as is_pick

    from predictions
    left join agreement
        on
            predictions.game_date = agreement.game_date
            and predictions.pitcher_id = agreement.pitcher_id

),

by_period as (

    {{ calendar_periods('scored') }}
    union all
    select
        'day' as period_grain,
        cast(scored.game_date as {{ dbt.type_string() }}) as period_label,
        scored.*
    from scored
    union all
    select
        'start_length' as period_grain,
        case when scored.is_short_start then 'short_start' else 'regular_start' end as period_label,
        scored.*
    from scored
    where scored.is_short_start is not null
    union all
    select
        'agreement' as period_grain,
        scored.agreement_level as period_label,
        scored.*
    from scored
    where scored.agreement_level is not null

),

aggregated as (

    select
        system_id,
        period_grain,
        period_label,
        count(*) as n_predictions,
        cast(sum(case when is_graded then 1 else 0 end) as {{ type_int64() }}) as n_graded,
        cast(sum(is_short) as {{ type_int64() }}) as n_short_starts,
        cast(sum(is_void) as {{ type_int64() }}) as n_void,
        cast(sum(is_withdrawn) as {{ type_int64() }}) as n_withdrawn,
        cast(sum(is_pending) as {{ type_int64() }}) as n_pending,
        cast(sum(is_unresolved) as {{ type_int64() }}) as n_unresolved,
        cast(sum(is_pick) as {{ type_int64() }}) as n_picks,
        cast(sum(is_decided_pick) as {{ type_int64() }}) as n_decided_picks,
        cast(sum(is_win) as {{ type_int64() }}) as n_wins,
        cast(sum(is_push) as {{ type_int64() }}) as n_pushes,
        avg(absolute_error) as mae,
        avg(case when reference_absolute_error is not null then absolute_error end) as mae_on_reference_rows,
        avg(reference_absolute_error) as reference_mae,
        sqrt(avg(reference_signed_error * reference_signed_error)) as reference_rmse,
        avg(reference_signed_error) as reference_bias,
        cast(
            sum(case when reference_absolute_error is not null then 1 else 0 end) as {{ type_int64() }}
        ) as n_with_reference,
        sqrt(avg(signed_error * signed_error)) as rmse,
        avg(signed_error) as bias,
        avg(poisson_nll) as poisson_log_loss,
        avg(count_log_loss) as count_log_loss,
        avg(power(p_over - is_over_outcome, 2)) as brier_over,
        avg(case when is_over_outcome is not null then p_over end) as mean_p_over,
        avg(is_over_outcome) as observed_over_rate,
        cast(sum(case when is_over_outcome is not null then 1 else 0 end) as {{ type_int64() }}) as n_with_probability,
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
        n_short_starts,
        n_void,
        n_withdrawn,
        n_pending,
        n_unresolved,
        n_picks,
        n_decided_picks,
        n_wins,
        n_pushes,
        mae,
        rmse,
        bias,
        poisson_log_loss,
        count_log_loss,
        brier_over,
        n_with_probability,
        mean_p_over,
        observed_over_rate,
        n_with_reference,
        mae_on_reference_rows,
        reference_mae,
        reference_rmse,
        reference_bias,
        avg_confidence,
        1.0 * n_wins / nullif(n_decided_picks, 0) as hit_rate,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'lower') }} as hit_rate_ci_low,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'upper') }} as hit_rate_ci_high,
        first_game_date,
        last_game_date

    from aggregated

)

select * from final
