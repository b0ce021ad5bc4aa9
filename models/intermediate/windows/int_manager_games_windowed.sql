{#- Per manager per game date of the spine: the manager's leash, from the starts of the games he managed
    strictly BEFORE the date, over the current season to date and the var('manager_leash_seasons') - 1
    seasons before it: how many batters his starters faced, and how many outs they recorded, above the
    league's mean per start as it stood before each game (int_team_games_joined: the league's workloads
    fell by 4-5 batters a start from 2014 to 2020, so raw means would mostly measure the season). The mean
    is shrunk toward 0 (= the league) with var('manager_leash_pseudo_starts') pseudo-starts:
    sum(above league) / (starts + k). The windows follow the MANAGER, not the team: after a change the new
    manager is judged on his own games (none: NULL). Excluded by DATE. -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, over the whole history they read. -#}
{{ config(**features_incremental_config(['manager_id', 'game_date'], 'manager_id')) }}
{%- set seasons = var('manager_leash_seasons') | int -%}
{%- set pseudo = var('manager_leash_pseudo_starts') -%}

with

games as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

team_games as (

    select * from {{ ref('int_team_games_joined') }}

),

targets as (

    select distinct
        manager_id,
        game_date,
        season

    from games
    where manager_id is not null
        and {{ features_is_new('game_date') }}

),

leash as (

    select
        targets.manager_id,
        targets.game_date,
        count(team_games.starter_bf_above_league) as starts_with_bf,
        sum(team_games.starter_bf_above_league) as bf_above_league,
        count(team_games.starter_outs_above_league) as starts_with_outs,
        sum(team_games.starter_outs_above_league) as outs_above_league,
        max(team_games.game_date) as last_input_game_date

    from targets
    inner join team_games
        on
            targets.manager_id = team_games.manager_id
            and targets.game_date > team_games.game_date
            and targets.season - {{ seasons }} < team_games.season
    group by 1, 2

),

final as (

    select
        targets.manager_id,
        targets.game_date,
        cast(coalesce(leash.starts_with_bf, 0) as {{ dbt.type_int() }}) as mgr_starts_before,
        case
            when leash.starts_with_bf > 0
                then {{ features_shrunk_rate('leash.bf_above_league', 'leash.starts_with_bf', '0', pseudo) }}
        end as mgr_leash_bf,
        case
            when leash.starts_with_outs > 0
                then {{ features_shrunk_rate('leash.outs_above_league', 'leash.starts_with_outs', '0', pseudo) }}
        end as mgr_leash_outs,
        leash.last_input_game_date

    from targets
    left join leash
        on
            targets.manager_id = leash.manager_id
            and targets.game_date = leash.game_date

),

stamped as (

    {{ features_with_inputs_loaded_at('final', ref('int_pitcher_games_unioned')) }}

)

select * from stamped
