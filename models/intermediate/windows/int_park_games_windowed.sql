{#- Per park per game date of the spine: the park's strikeout factor from games strictly BEFORE the date,
    over the current season to date and the var('park_factor_seasons') - 1 seasons before it.

    Method (home/road, as classic park factors): observed = strikeouts of both teams in the games at the
    park; expected = those games' plate appearances x the home team's strikeout rate (both teams) in its
    ROAD games of the same window. The same home team's roster plays on both sides of the ratio, so it
    cancels, and so does the league's drift between seasons (home and road games share the seasons). The
    factor is shrunk toward 1.0 with var('park_k_pseudo_strikeouts') = m pseudo-strikeouts:
    (observed + m) / (expected + m), a Gamma(m, m) prior with SD 1/sqrt(m) (the real parks' spread).
    A park's first game in the window has no factor (NULL, never a made-up 1.0). Excluded by DATE, so
    game 2 of a doubleheader does not see game 1. -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, over the whole history they read. -#}
{{ config(**features_incremental_config(['park_id', 'game_date'], 'park_id')) }}
{%- set seasons = var('park_factor_seasons') | int -%}
{%- set pseudo = var('park_k_pseudo_strikeouts') -%}

with

games as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

team_games as (

    select * from {{ ref('int_team_games_joined') }}

),

targets as (

    select distinct
        park_id,
        game_date,
        season

    from games
    where park_id is not null
        and {{ features_is_new('game_date') }}

),

at_park as (

    select
        targets.park_id,
        targets.game_date,
        targets.season,
        team_games.home_team,
        sum(team_games.batting_strikeouts) as strikeouts,
        sum(team_games.batting_pa) as plate_appearances,
        max(team_games.game_date) as last_input_game_date

    from targets
    inner join team_games
        on
            targets.park_id = team_games.park_id
            and targets.game_date > team_games.game_date
            and targets.season - {{ seasons }} < team_games.season
    group by 1, 2, 3, 4

),

home_team_on_road as (

    select
        at_park.park_id,
        at_park.game_date,
        at_park.home_team,
        {{ features_safe_divide('sum(road_games.batting_strikeouts)', 'sum(road_games.batting_pa)') }}
            as road_k_pct,
        max(road_games.game_date) as last_input_game_date

    from at_park
    inner join team_games as road_games
        on
            at_park.home_team = road_games.away_team
            and at_park.game_date > road_games.game_date
            and at_park.season - {{ seasons }} < road_games.season
    group by 1, 2, 3

),

observed_expected as (

    select
        at_park.park_id,
        at_park.game_date,
        sum(at_park.strikeouts) as observed_strikeouts,
        sum(at_park.plate_appearances * home_team_on_road.road_k_pct) as expected_strikeouts,
        max({{ features_newest_date(['at_park.last_input_game_date', 'home_team_on_road.last_input_game_date']) }})
            as last_input_game_date

    from at_park
    inner join home_team_on_road
        on
            at_park.park_id = home_team_on_road.park_id
            and at_park.game_date = home_team_on_road.game_date
            and at_park.home_team = home_team_on_road.home_team
    where home_team_on_road.road_k_pct is not null
    group by 1, 2

),

final as (

    select
        targets.park_id,
        targets.game_date,
        cast(coalesce(observed_expected.observed_strikeouts, 0) as {{ dbt.type_int() }}) as park_observed_strikeouts,
        coalesce(observed_expected.expected_strikeouts, 0) as park_expected_strikeouts,
        {{ features_shrunk_factor(
            'observed_expected.observed_strikeouts', 'observed_expected.expected_strikeouts', pseudo) }}
            as park_k_factor,
        observed_expected.last_input_game_date

    from targets
    left join observed_expected
        on
            targets.park_id = observed_expected.park_id
            and targets.game_date = observed_expected.game_date

),

stamped as (

    {{ features_with_inputs_loaded_at('final', ref('int_pitcher_games_unioned')) }}

)

select * from stamped
