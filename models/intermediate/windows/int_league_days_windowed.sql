{#- Per date: what the league looked like BEFORE that date. Season to date (same season, dates strictly
    before the date) and the previous full season: batting strikeouts per plate appearance against all
    pitchers (team games) and starters' batters faced and outs per start (game logs). The `*_reference`
    columns are the season-to-date value, or the previous season's on a season's first day; they are the
    league baseline the team-game features compare against (expected strikeouts of a game, a manager's
    leash above the league). One row per date of the spine or of the team games. -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, over the whole history they read. -#}
{{ config(**features_incremental_config(['game_date'])) }}
with

spine as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

team_games as (

    select * from {{ ref('int_team_games_team_coded') }}

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

batting_days as (

    select
        game_date,
        season,
        sum(batting_strikeouts) as strikeouts,
        sum(batting_pa) as plate_appearances

    from team_games
    group by 1, 2

),

starter_days as (

    select
        game_date,
        season,
        count(*) as starts,
        sum(batters_faced) as batters_faced,
        sum(outs_recorded) as outs_recorded

    from starts
    group by 1, 2

),

league_days as (

    select
        coalesce(batting_days.game_date, starter_days.game_date) as game_date,
        coalesce(batting_days.season, starter_days.season) as season,
        batting_days.strikeouts,
        batting_days.plate_appearances,
        starter_days.starts,
        starter_days.batters_faced,
        starter_days.outs_recorded

    from batting_days
    full outer join starter_days on batting_days.game_date = starter_days.game_date

),

calendar as (

    select game_date from spine
    union distinct
    select game_date from league_days

),

dates as (

    select
        game_date,
        cast(extract(year from game_date) as {{ dbt.type_int() }}) as season

    from calendar
    where {{ features_is_new('game_date') }}

),

to_date as (

    select
        dates.game_date,
        sum(league_days.strikeouts) as strikeouts,
        sum(league_days.plate_appearances) as plate_appearances,
        sum(league_days.starts) as starts,
        sum(league_days.batters_faced) as batters_faced,
        sum(league_days.outs_recorded) as outs_recorded,
        max(league_days.game_date) as last_input_game_date

    from dates
    left join league_days
        on
            dates.season = league_days.season
            and dates.game_date > league_days.game_date
    group by 1

),

seasons as (

    select
        season,
        sum(strikeouts) as strikeouts,
        sum(plate_appearances) as plate_appearances,
        sum(starts) as starts,
        sum(batters_faced) as batters_faced,
        sum(outs_recorded) as outs_recorded,
        max(game_date) as last_input_game_date

    from league_days
    group by 1

),

rates as (

    select
        dates.game_date,
        dates.season,
        cast(coalesce(to_date.plate_appearances, 0) as {{ dbt.type_int() }}) as league_pa_to_date,
        {{ features_safe_divide('to_date.strikeouts', 'to_date.plate_appearances') }} as league_k_pct_to_date,
        {{ features_safe_divide('prior_season.strikeouts', 'prior_season.plate_appearances') }}
            as league_k_pct_prior_season,
        {{ features_safe_divide('to_date.batters_faced', 'to_date.starts') }} as league_bf_per_start_to_date,
        {{ features_safe_divide('prior_season.batters_faced', 'prior_season.starts') }}
            as league_bf_per_start_prior_season,
        {{ features_safe_divide('to_date.outs_recorded', 'to_date.starts') }} as league_outs_per_start_to_date,
        {{ features_safe_divide('prior_season.outs_recorded', 'prior_season.starts') }}
            as league_outs_per_start_prior_season,
        coalesce(to_date.last_input_game_date, prior_season.last_input_game_date) as last_input_game_date

    from dates
    left join to_date on dates.game_date = to_date.game_date
    left join seasons as prior_season on dates.season - 1 = prior_season.season

),

final as (

    select
        rates.*,
        coalesce(rates.league_k_pct_to_date, rates.league_k_pct_prior_season) as league_k_pct_reference,
        coalesce(rates.league_bf_per_start_to_date, rates.league_bf_per_start_prior_season)
            as league_bf_per_start_reference,
        coalesce(rates.league_outs_per_start_to_date, rates.league_outs_per_start_prior_season)
            as league_outs_per_start_reference

    from rates

),

stamped as (

    {{ features_with_inputs_loaded_at('final', ref('int_pitcher_games_unioned')) }}

)

select * from stamped
