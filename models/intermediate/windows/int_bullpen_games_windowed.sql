{#- Per team per game date of the spine: how hard the team's bullpen worked on the var('bullpen_window_days')
    days BEFORE the date (D-3 .. D-1 by default): relief outs (the team's pitching outs minus its starter's)
    and relievers used (pitchers used minus the starter), summed over its games of those days. A day
    without a game adds 0 (a rested bullpen); NULL only when the data holds no earlier game of the team at
    all. Excluded by DATE: game 2 of a doubleheader does not see game 1's relievers. -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, over the whole history they read. -#}
{{ config(**features_incremental_config(['team', 'game_date'], 'team')) }}
{%- set window_days = var('bullpen_window_days') | int -%}

with

games as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

team_games as (

    select * from {{ ref('int_team_games_joined') }}

),

targets as (

    select distinct
        team,
        game_date

    from games
    where {{ features_is_new('game_date') }}

),

first_games as (

    select
        team,
        min(game_date) as first_game_date

    from team_games
    group by 1

),

recent as (

    select
        targets.team,
        targets.game_date,
        count(*) as games,
        sum(team_games.relief_outs) as relief_outs,
        sum(team_games.relievers_used) as relievers_used,
        max(team_games.game_date) as last_input_game_date

    from targets
    inner join team_games
        on
            targets.team = team_games.team
            and targets.game_date > team_games.game_date
            and cast({{ dbt.dateadd('day', -1 * window_days, 'targets.game_date') }} as date)
            <= team_games.game_date
    group by 1, 2

),

final as (

    select
        targets.team,
        targets.game_date,
        case
            when first_games.first_game_date < targets.game_date
                then cast(coalesce(recent.games, 0) as {{ dbt.type_int() }})
        end as bullpen_games_last_{{ window_days }}d,
        case
            when first_games.first_game_date < targets.game_date
                then cast(coalesce(recent.relief_outs, 0) as {{ dbt.type_int() }})
        end as bullpen_outs_last_{{ window_days }}d,
        case
            when first_games.first_game_date < targets.game_date
                then cast(coalesce(recent.relievers_used, 0) as {{ dbt.type_int() }})
        end as bullpen_pitchers_last_{{ window_days }}d,
        recent.last_input_game_date

    from targets
    left join first_games on targets.team = first_games.team
    left join recent
        on
            targets.team = recent.team
            and targets.game_date = recent.game_date

),

stamped as (

    {{ features_with_inputs_loaded_at('final', ref('int_pitcher_games_unioned')) }}

)

select * from stamped
