{#- Per home-plate umpire per game date of the spine: the umpire's strikeout factor from the games he
    worked behind the plate strictly BEFORE the date, over the current season to date and the
    var('umpire_factor_seasons') - 1 seasons before it.

    Method: observed = strikeouts of both teams in his games; expected = their plate appearances x the
    league's strikeout rate as it stood before each game's date (int_team_games_joined, so the league's
    drift between seasons cancels). Umpires rotate over parks and teams, so no team adjustment is needed.
    Shrunk toward 1.0 with var('umpire_k_pseudo_strikeouts') = m pseudo-strikeouts:
    (observed + m) / (expected + m). An umpire's first game has no factor (NULL). Excluded by DATE. -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, over the whole history they read. -#}
{{ config(**features_incremental_config(['umpire_home_id', 'game_date'], 'umpire_home_id')) }}
{%- set seasons = var('umpire_factor_seasons') | int -%}
{%- set pseudo = var('umpire_k_pseudo_strikeouts') -%}

with

games as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

team_games as (

    select * from {{ ref('int_team_games_joined') }}

),

targets as (

    select distinct
        umpire_home_id,
        game_date,
        season

    from games
    where umpire_home_id is not null
        and {{ features_is_new('game_date') }}

),

observed_expected as (

    select
        targets.umpire_home_id,
        targets.game_date,
        count(distinct team_games.game_id) as games_worked,
        sum(team_games.batting_strikeouts) as observed_strikeouts,
        sum(team_games.batting_expected_strikeouts) as expected_strikeouts,
        max(team_games.game_date) as last_input_game_date

    from targets
    inner join team_games
        on
            targets.umpire_home_id = team_games.umpire_home_id
            and targets.game_date > team_games.game_date
            and targets.season - {{ seasons }} < team_games.season
    where team_games.batting_expected_strikeouts is not null
    group by 1, 2

),

final as (

    select
        targets.umpire_home_id,
        targets.game_date,
        cast(coalesce(observed_expected.games_worked, 0) as {{ dbt.type_int() }}) as umpire_games_before,
        coalesce(observed_expected.expected_strikeouts, 0) as umpire_expected_strikeouts,
        {{ features_shrunk_factor(
            'observed_expected.observed_strikeouts', 'observed_expected.expected_strikeouts', pseudo) }}
            as umpire_k_factor,
        observed_expected.last_input_game_date

    from targets
    left join observed_expected
        on
            targets.umpire_home_id = observed_expected.umpire_home_id
            and targets.game_date = observed_expected.game_date

),

stamped as (

    {{ features_with_inputs_loaded_at('final', ref('int_pitcher_games_unioned')) }}

)

select * from stamped
