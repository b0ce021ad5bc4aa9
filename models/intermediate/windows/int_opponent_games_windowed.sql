{#- Per opponent per game date of the spine: the opponent's strikeout tendency over the
    var('opponent_window_days') days BEFORE the date: strikeouts per batter faced of the starting pitchers
    who faced that opponent, dates D-window .. D-1.

    The exclusion is by DATE, not by row order: in a doubleheader, game 2 does not see game 1 of the same
    day (its result is not known before game 1's first pitch, and one feature row serves the whole date). -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, over the whole history they read. -#}
{{ config(**features_incremental_config(['opponent', 'game_date'], 'opponent')) }}
{%- set window_days = var('opponent_window_days') | int -%}

with

games as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

opponent_dates as (

    select distinct
        opponent,
        game_date

    from games
    where {{ features_is_new('game_date') }}

),

opponent_days as (

    select
        opponent,
        game_date,
        count(*) as starts_faced,
        sum(strikeouts) as strikeouts,
        sum(batters_faced) as batters_faced

    from games
    where is_played
    group by 1, 2

),

windowed as (

    select
        opponent_dates.opponent,
        opponent_dates.game_date,
        cast(coalesce(sum(opponent_days.starts_faced), 0) as {{ dbt.type_int() }}) as opp_starts_{{ window_days }}d,
        cast(coalesce(sum(opponent_days.batters_faced), 0) as {{ dbt.type_int() }}) as opp_bf_{{ window_days }}d,
        {{ features_safe_divide('sum(opponent_days.strikeouts)', 'sum(opponent_days.batters_faced)') }}
            as opp_k_per_bf_{{ window_days }}d,
        max(opponent_days.game_date) as last_input_game_date

    from opponent_dates
    left join opponent_days
        on
            opponent_dates.opponent = opponent_days.opponent
            and opponent_dates.game_date > opponent_days.game_date
            and cast({{ dbt.dateadd('day', -1 * window_days, 'opponent_dates.game_date') }} as date)
            <= opponent_days.game_date
    group by 1, 2

),

stamped as (

    {{ features_with_inputs_loaded_at('windowed', ref('int_pitcher_games_unioned')) }}

)

select * from stamped
