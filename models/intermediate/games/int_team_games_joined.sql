{#- One row per team per game: the team game with its game's context from the team's own starter row
    in the game logs (park, home-plate umpire, the starter's outs), the home and away team, the bullpen's
    share (relief outs, relievers used), and the league baseline as it stood BEFORE the game's date
    (int_league_days_windowed): expected batting strikeouts at the league rate, the starter's batters
    faced and outs above the league's mean. This is an input table only: every feature built on it reads
    its rows of strictly earlier dates. -#}
{#- Its data tests read only the rows dated on or after var('tests_since_date') when it is set
    (macros/tests_scope.sql). -#}
{{ config(meta={'tests_since_column': 'game_date'}) }}
with

team_games as (

    select * from {{ ref('int_team_games_team_coded') }}

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

league as (

    select * from {{ ref('int_league_days_windowed') }}

),

joined as (

    select
        team_games.game_id,
        team_games.team,
        team_games.opponent,
        case when team_games.is_home then team_games.team else team_games.opponent end as home_team,
        case when team_games.is_home then team_games.opponent else team_games.team end as away_team,
        team_games.manager_id,
        starts.park_id,
        starts.umpire_home_id,
        team_games.starter_id,
        team_games.season,
        team_games.game_number,
        team_games.batting_pa,
        team_games.batting_strikeouts,
        team_games.batting_pa * league.league_k_pct_reference as batting_expected_strikeouts,
        team_games.pitching_outs,
        team_games.pitchers_used,
        team_games.starter_batters_faced,
        starts.outs_recorded as starter_outs,
        team_games.pitching_outs - starts.outs_recorded as relief_outs,
        team_games.pitchers_used - 1 as relievers_used,
        team_games.starter_batters_faced - league.league_bf_per_start_reference as starter_bf_above_league,
        starts.outs_recorded - league.league_outs_per_start_reference as starter_outs_above_league,
        team_games.is_home,
        team_games.game_date

    from team_games
    left join starts
        on
            team_games.game_id = starts.game_id
            and team_games.team = starts.team
    left join league on team_games.game_date = league.game_date

)

select * from joined
