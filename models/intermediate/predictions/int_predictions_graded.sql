{#- Every prediction with its status and its grade, the sportsbook way (doc `grading_rule`):
    - a prediction has ACTION once its pitcher starts the game, however short the outing: it is graded on
      his final line (a suspended game finished later keeps its game id and is graded when its line arrives);
    - it is VOID only when he does not start: withdrawn (a later announcement replaced him for that game,
      or scratched him with no replacement yet, int_probable_starters_scratched, or the game is called off
      now: postponed, suspended or cancelled, int_games_called_off),
      did not start (the game has results, he has none), or the game was not played (postponed or
      cancelled: its date has results, it has none, var('void_unplayed_after_days') days after the date);
    - a legacy row whose pitcher could not be resolved is `unresolved` (counted and named by a gate);
    - otherwise it is pending.
    A short outing (<= var('short_start_max_outs') outs) is information (`is_short_start`), never an
    exclusion. Each row also carries the naive reference (int_naive_reference) for the same start, so every
    metric can be read beside the reference on exactly the same rows. -#}
{%- set unplayed_cutoff = dbt.dateadd('day', -1 * (var('void_unplayed_after_days') | int), as_of_date()) -%}

with

-- Only rows that passed every row-level rule (int_predictions_checked): a held-back row is never graded,
-- never published; predictions_quarantine says why.
predictions as (

    select * from {{ ref('int_predictions_checked') }}
    where quarantine_rule is null

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

probables as (

    select * from {{ ref('int_probable_starters_team_coded') }}

),

scratched as (

    select * from {{ ref('int_probable_starters_scratched') }}

),

naive_reference as (

    select * from {{ ref('int_naive_reference') }}

),

called_off as (

    select * from {{ ref('int_games_called_off') }}

),

-- A row without a game id (legacy) is settled by the pitcher's start on its date (the first game of a
-- doubleheader if the data ever shows two).
starts_by_date as (

    select
        game_date,
        pitcher_id,
        strikeouts,
        outs_recorded,
        row_number() over (partition by game_date, pitcher_id order by game_id) as start_rank

    from starts

),

games_with_results as (

    select distinct game_id
    from starts

),

dates_with_results as (

    select distinct game_date
    from starts

),

settled as (

    select
        predictions.*,
        coalesce(by_game.strikeouts, by_date.strikeouts) as settled_strikeouts,
        coalesce(by_game.outs_recorded, by_date.outs_recorded) as settled_outs,
        coalesce(by_game.pitcher_id, by_date.pitcher_id) is not null as has_started,
        games_with_results.game_id is not null as is_game_final,
        dates_with_results.game_date is not null as is_date_final,
        current_starter.pitcher_id as current_pitcher_id,
        current_starter.pitcher_name as current_pitcher_name,
        current_starter.announced_at as current_announced_at,
        called_off.game_status as called_off_status,
        scratched.scratched_at

    from predictions
    left join starts as by_game
        on
            predictions.game_id = by_game.game_id
            and predictions.pitcher_id = by_game.pitcher_id
    left join starts_by_date as by_date
        on
            predictions.game_id is null
            and predictions.game_date = by_date.game_date
            and predictions.pitcher_id = by_date.pitcher_id
            and by_date.start_rank = 1
    left join games_with_results
        on predictions.game_id = games_with_results.game_id
    left join dates_with_results
        on predictions.game_date = dates_with_results.game_date
    left join probables as current_starter
        on
            predictions.game_id = current_starter.game_id
            and predictions.team = current_starter.team
    left join called_off
        on predictions.game_id = called_off.game_id
    left join scratched
        on
            predictions.game_id = scratched.game_id
            and predictions.team = scratched.team

),

statused as (

    select
        settled.*,
        not settled.has_started
        and (
            settled.called_off_status is not null
            or settled.scratched_at is not null
            or (settled.current_pitcher_id is not null and settled.current_pitcher_id != settled.pitcher_id)
        ) as is_withdrawn

    from settled

),

graded as (

    select
        statused.*,
        case
            when statused.pitcher_id is null then 'unresolved'
            when
                statused.has_started
                and (statused.recommendation not in ('OVER', 'UNDER') or statused.strikeouts_line is null)
                then 'no_bet'
            when statused.has_started and statused.settled_strikeouts = statused.strikeouts_line then 'push'
            when statused.has_started and statused.recommendation = 'OVER'
                then
                    case
                        when statused.settled_strikeouts > statused.strikeouts_line then 'win'
                        when statused.settled_strikeouts < statused.strikeouts_line then 'loss'
                    end
            when statused.has_started and statused.recommendation = 'UNDER'
                then
                    case
                        when statused.settled_strikeouts < statused.strikeouts_line then 'win'
                        when statused.settled_strikeouts > statused.strikeouts_line then 'loss'
                    end
            when statused.is_withdrawn then 'void'
            when statused.is_game_final or (statused.game_id is null and statused.is_date_final) then 'void'
            when statused.is_date_final and statused.game_date <= {{ unplayed_cutoff }} then 'void'
            when not statused.has_started then 'pending'
        end as result,
        case
            when statused.has_started or statused.pitcher_id is null then null
            when statused.is_withdrawn then 'withdrawn'
            when statused.is_game_final or (statused.game_id is null and statused.is_date_final)
                then 'did_not_start'
            when statused.is_date_final and statused.game_date <= {{ unplayed_cutoff }} then 'game_not_played'
        end as void_reason

    from statused

),

-- The distribution's cells, to score the observed count: its log loss and its (mid-)PIT,
-- P(K < actual) + P(K = actual) / 2, which is uniform on [0, 1] for a calibrated forecast.
{%- set max_k = pmf_max_k() %}

with_cells as (

    select
        graded.*,
        least(graded.settled_strikeouts, {{ max_k }}) as settled_cell,
    {%- for k in range(max_k + 1) %}
        {{ pmf_cell('graded.strikeout_pmf', k) }} as pmf_{{ k }}
        {{- ',' if not loop.last }}
    {%- endfor %}

    from graded

),

scored as (

    select
        with_cells.*,
        case with_cells.settled_cell
            {%- for k in range(max_k + 1) %}
                when {{ k }} then with_cells.pmf_{{ k }}
            {%- endfor %}
        end as pmf_at_actual,
        0.0
        {%- for j in range(max_k) %}
            + case when with_cells.settled_cell > {{ j }} then with_cells.pmf_{{ j }} else 0.0 end
        {%- endfor %} as pmf_below_actual,
        -- the distribution's own P(over | no push) at the line, before the system's calibration curve
        (
            0.0
            {%- for k in range(max_k + 1) %}
                + case when {{ k }} > with_cells.strikeouts_line then with_cells.pmf_{{ k }} else 0.0 end
            {%- endfor %}
        ) / nullif(
            1.0
            {%- for k in range(max_k + 1) %}
                - case when {{ k }} = with_cells.strikeouts_line then with_cells.pmf_{{ k }} else 0.0 end
            {%- endfor %},
            0
        ) as raw_p_over_given_no_push

    from with_cells

),

final as (

    select
        graded.prediction_id,
        graded.system_id,
        graded.model_version,
        graded.game_id,
        graded.pitcher_id,
        graded.pitcher_lookup,
        graded.pitcher_name,
        graded.team,
        graded.opponent,
        graded.bookmaker,
        graded.recommendation,
        graded.result,
        graded.void_reason,
        case when graded.is_withdrawn then 'withdrawn' else 'live' end as prediction_status,
        case
            when graded.is_withdrawn and graded.called_off_status is not null
                then concat('game called off: ', graded.called_off_status)
            when graded.is_withdrawn and graded.scratched_at is not null
                then 'scratched, no replacement yet'
            when graded.is_withdrawn
                then concat(
                        'replaced by ', coalesce(graded.current_pitcher_name, graded.current_pitcher_id),
                        ' (', graded.current_pitcher_id, ')'
                    )
        end as withdrawn_reason,
        graded.red_flags,
        graded.component_systems,
        graded.books_seen,
        graded.prediction_source,
        graded.batch_id,
        graded.strikeouts_line,
        graded.over_odds,
        graded.under_odds,
        graded.predicted_strikeouts,
        graded.predicted_median,
        graded.predicted_p10,
        graded.predicted_p90,
        graded.strikeout_pmf,
        graded.p_over,
        graded.p_under,
        graded.p_push,
        graded.raw_p_over_given_no_push,
        graded.market_p_over,
        graded.pick_p_over,
        graded.market_weight,
        graded.edge,
        graded.ev_over,
        graded.ev_under,
        graded.confidence,
        graded.feature_coverage_pct,
        case when graded.has_started then graded.settled_strikeouts end as actual_strikeouts,
        case when graded.has_started then graded.settled_outs end as outs_recorded,
        case
            when graded.has_started then graded.settled_outs <= {{ var('short_start_max_outs') }}
        end as is_short_start,
        graded.result in ('win', 'loss', 'push', 'no_bet') as is_graded,
        -- Settled at the offered price: a win pays the side's odds, a loss costs the stake, a push returns it.
        case
            when graded.result = 'win' and graded.recommendation = 'OVER'
                then {{ american_odds_profit('graded.over_odds') }}
            when graded.result = 'win' and graded.recommendation = 'UNDER'
                then {{ american_odds_profit('graded.under_odds') }}
            when graded.result = 'loss' then -1.0
            when graded.result = 'push' then 0.0
        end as profit_units,
        case
            when graded.result in ('win', 'loss', 'push', 'no_bet')
                then abs(graded.predicted_strikeouts - graded.settled_strikeouts)
        end as absolute_error,
        case
            when graded.result in ('win', 'loss', 'push', 'no_bet') and graded.strikeout_pmf is not null
                then -1 * ln(greatest(graded.pmf_at_actual, 0.000000000001))
        end as count_log_loss,
        case
            when graded.result in ('win', 'loss', 'push', 'no_bet') and graded.strikeout_pmf is not null
                then graded.pmf_below_actual + 0.5 * graded.pmf_at_actual
        end as pit_value,
        naive_reference.reference_strikeouts,
        case
            when graded.result in ('win', 'loss', 'push', 'no_bet')
                then abs(naive_reference.reference_strikeouts - graded.settled_strikeouts)
        end as reference_absolute_error,
        graded.game_date,
        graded.line_captured_at,
        graded.scored_at

    from scored as graded
    left join naive_reference
        on
            graded.game_date = naive_reference.game_date
            and graded.pitcher_id = naive_reference.pitcher_id

)

select * from final
