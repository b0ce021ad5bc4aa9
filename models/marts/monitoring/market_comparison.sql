{#- Every system against the book on the same starts: graded predictions (the pitcher started) that had a
    line, per system, over all time, per season, per month and over the trailing var('trailing_mae_days')
    days before as_of_date().
    - point forecast: the system's MAE vs the book's line as a forecast (|line - actual|), same rows, and
      the line's lean: its mean (line - actual) and the share of decided starts that went over;
    - probability (given no push, pushes excluded): Brier and log loss of the system's own P(over)
      (calibrated; its Brier before the calibration curve too), of the book's no-vig P(over), and of the
      market-aware pick probability;
    - picks: how many, the share of starts picked, hit rate with its 95% Wilson interval, ROI at the offered
      odds (profit per unit staked, pushes returning the stake) with a 95% normal interval; the same per
      side (OVER, UNDER), so a season whose picks lean one way shows it;
    - closing-line value, where the pick's book has more than one capture before first pitch: the mean
      movement of the line toward the pick (K), of the side's implied price toward the pick at an unchanged
      line, and the share of picks that beat the close (the line moved their way, or it held and the price
      rose). -#}
{%- set trailing_days = var('trailing_mae_days') | int -%}

with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where
        is_graded
        and strikeouts_line is not null
        and market_p_over is not null
        and p_over is not null

),

closing as (

    select * from {{ ref('int_closing_lines') }}

),

compared as (

    select
        predictions.system_id,
        predictions.season,
        cast({{ dbt.date_trunc('month', 'predictions.game_date') }} as date) as month_start,
        predictions.game_date,
        abs(predictions.predicted_strikeouts - predictions.actual_strikeouts) as system_absolute_error,
        abs(predictions.strikeouts_line - predictions.actual_strikeouts) as book_absolute_error,
        predictions.strikeouts_line - predictions.actual_strikeouts as book_line_error,
        case
            when predictions.actual_strikeouts > predictions.strikeouts_line then 1.0
            when predictions.actual_strikeouts < predictions.strikeouts_line then 0.0
        end as went_over,
        predictions.p_over / nullif(predictions.p_over + predictions.p_under, 0) as system_p_over,
        predictions.raw_p_over_given_no_push as system_raw_p_over,
        predictions.market_p_over as book_p_over,
        predictions.pick_p_over,
        predictions.recommendation in ('OVER', 'UNDER') as is_pick,
        predictions.recommendation,
        predictions.result,
        predictions.profit_units,
        closing.n_captures,
        case
            when predictions.recommendation = 'OVER' then closing.closing_line - predictions.strikeouts_line
            when predictions.recommendation = 'UNDER' then predictions.strikeouts_line - closing.closing_line
        end as line_move_toward_pick,
        case
            when closing.closing_line != predictions.strikeouts_line then null
            when predictions.recommendation = 'OVER'
                then
                    {{ implied_probability('closing.closing_over_odds') }}
                    - {{ implied_probability('predictions.over_odds') }}
            when predictions.recommendation = 'UNDER'
                then
                    {{ implied_probability('closing.closing_under_odds') }}
                    - {{ implied_probability('predictions.under_odds') }}
        end as price_move_toward_pick

    from predictions
    left join closing
        on
            predictions.game_date = closing.game_date
            and predictions.pitcher_id = closing.pitcher_id
            and predictions.bookmaker = closing.bookmaker

),

scored as (

    select
        compared.*,
        power(compared.system_p_over - compared.went_over, 2) as system_brier,
        power(compared.system_raw_p_over - compared.went_over, 2) as system_raw_brier,
        power(compared.book_p_over - compared.went_over, 2) as book_brier,
        power(compared.pick_p_over - compared.went_over, 2) as pick_brier,
        -1 * (
            compared.went_over * ln(greatest(least(compared.system_p_over, 0.999999), 0.000001))
            + (1 - compared.went_over) * ln(greatest(least(1 - compared.system_p_over, 0.999999), 0.000001))
        ) as system_log_loss,
        -1 * (
            compared.went_over * ln(greatest(least(compared.book_p_over, 0.999999), 0.000001))
            + (1 - compared.went_over) * ln(greatest(least(1 - compared.book_p_over, 0.999999), 0.000001))
        ) as book_log_loss,
        compared.is_pick and compared.n_captures > 1 as has_close,
        case
            when not (compared.is_pick and compared.n_captures > 1) then null
            when compared.line_move_toward_pick > 0 then 1.0
            when compared.line_move_toward_pick = 0 and compared.price_move_toward_pick > 0 then 1.0
            else 0.0
        end as beat_close

    from compared

),

by_period as (

    {{ calendar_periods('scored') }}
    union all
    select
        'trailing' as period_grain,
        '{{ trailing_days }}d' as period_label,
        scored.*
    from scored
    where
        scored.game_date <= {{ as_of_date() }}
        and scored.game_date > {{ dbt.dateadd('day', -1 * trailing_days, as_of_date()) }}

),

aggregated as (

    select
        system_id,
        period_grain,
        period_label,
        count(*) as n_starts,
        count(went_over) as n_decided_starts,
        avg(system_absolute_error) as system_mae,
        avg(book_absolute_error) as book_line_mae,
        avg(book_line_error) as book_line_bias,
        avg(went_over) as over_rate,
        avg(system_brier) as system_brier,
        avg(system_raw_brier) as system_raw_brier,
        avg(book_brier) as book_brier,
        avg(pick_brier) as pick_brier,
        avg(system_log_loss) as system_log_loss,
        avg(book_log_loss) as book_log_loss,
        cast(sum(case when is_pick then 1 else 0 end) as {{ type_int64() }}) as n_picks,
        cast(sum(case when result in ('win', 'loss') then 1 else 0 end) as {{ type_int64() }}) as n_decided_picks,
        cast(sum(case when result = 'win' then 1 else 0 end) as {{ type_int64() }}) as n_wins,
        avg(case when is_pick then profit_units end) as roi,
        stddev_samp(case when is_pick then profit_units end) as profit_sd,
        sum(case when recommendation = 'OVER' then 1 else 0 end) as n_over_picks_raw,
        sum(case when recommendation = 'OVER' and result in ('win', 'loss') then 1 else 0 end) as n_over_decided_raw,
        sum(case when recommendation = 'OVER' and result = 'win' then 1 else 0 end) as n_over_wins_raw,
        avg(case when recommendation = 'OVER' then profit_units end) as over_roi,
        stddev_samp(case when recommendation = 'OVER' then profit_units end) as over_profit_sd,
        sum(case when recommendation = 'UNDER' then 1 else 0 end) as n_under_picks_raw,
        sum(case when recommendation = 'UNDER' and result in ('win', 'loss') then 1 else 0 end) as n_under_decided_raw,
        sum(case when recommendation = 'UNDER' and result = 'win' then 1 else 0 end) as n_under_wins_raw,
        avg(case when recommendation = 'UNDER' then profit_units end) as under_roi,
        stddev_samp(case when recommendation = 'UNDER' then profit_units end) as under_profit_sd,
        cast(sum(case when has_close then 1 else 0 end) as {{ type_int64() }}) as n_picks_with_close,
        avg(case when has_close then line_move_toward_pick end) as mean_line_move_toward_pick,
        avg(case when has_close then price_move_toward_pick end) as mean_price_move_toward_pick,
        avg(beat_close) as share_beat_close,
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
        n_starts,
        n_decided_starts,
        system_mae,
        book_line_mae,
        system_mae - book_line_mae as mae_vs_book,
        book_line_bias,
        over_rate,
        system_brier,
        system_raw_brier,
        book_brier,
        pick_brier,
        system_brier - book_brier as brier_vs_book,
        system_log_loss,
        book_log_loss,
        n_picks,
        1.0 * n_picks / n_starts as share_picked,
        n_decided_picks,
        n_wins,
        1.0 * n_wins / nullif(n_decided_picks, 0) as hit_rate,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'lower') }} as hit_rate_ci_low,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'upper') }} as hit_rate_ci_high,
        roi,
        roi - 1.96 * profit_sd / sqrt(nullif(n_picks, 0)) as roi_ci_low,
        roi + 1.96 * profit_sd / sqrt(nullif(n_picks, 0)) as roi_ci_high,
        cast(n_over_picks_raw as {{ type_int64() }}) as n_over_picks,
        cast(n_over_decided_raw as {{ type_int64() }}) as n_over_decided_picks,
        1.0 * n_over_wins_raw / nullif(n_over_decided_raw, 0) as over_hit_rate,
        {{ wilson_interval('n_over_wins_raw', 'n_over_decided_raw', 'lower') }} as over_hit_rate_ci_low,
        {{ wilson_interval('n_over_wins_raw', 'n_over_decided_raw', 'upper') }} as over_hit_rate_ci_high,
        over_roi,
        over_roi - 1.96 * over_profit_sd / sqrt(nullif(n_over_picks_raw, 0)) as over_roi_ci_low,
        over_roi + 1.96 * over_profit_sd / sqrt(nullif(n_over_picks_raw, 0)) as over_roi_ci_high,
        cast(n_under_picks_raw as {{ type_int64() }}) as n_under_picks,
        cast(n_under_decided_raw as {{ type_int64() }}) as n_under_decided_picks,
        1.0 * n_under_wins_raw / nullif(n_under_decided_raw, 0) as under_hit_rate,
        {{ wilson_interval('n_under_wins_raw', 'n_under_decided_raw', 'lower') }} as under_hit_rate_ci_low,
        {{ wilson_interval('n_under_wins_raw', 'n_under_decided_raw', 'upper') }} as under_hit_rate_ci_high,
        under_roi,
        under_roi - 1.96 * under_profit_sd / sqrt(nullif(n_under_picks_raw, 0)) as under_roi_ci_low,
        under_roi + 1.96 * under_profit_sd / sqrt(nullif(n_under_picks_raw, 0)) as under_roi_ci_high,
        n_picks_with_close,
        mean_line_move_toward_pick,
        mean_price_move_toward_pick,
        share_beat_close,
        first_game_date,
        last_game_date

    from aggregated

)

select * from final
