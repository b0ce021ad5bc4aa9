{#- Per date: what the league looked like BEFORE that date. Season to date (same season, dates strictly
    before the date) and the previous full season: batting strikeouts per plate appearance against all
    pitchers (team games) and starters' batters faced and outs per start (game logs). The `*_reference`
    columns are the season-to-date value, or the previous season's on a season's first day; they are the
    league baseline the team-game features compare against (expected strikeouts of a game, a manager's
    leash above the league). One row per date of the spine or of the team games. -#}
with

spine as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

team_games as (

    select * from {{ ref('stg_gamelogs__team_games') }}

),

starts as (

    select * from {{ ref('stg_gamelogs__pitcher_starts') }}

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

calendar as (

    select game_date from spine
    union distinct
    select game_date from team_games

),

dates as (

    select
        game_date,
        cast(extract(year from game_date) as {{ dbt.type_int() }}) as season

    from calendar

),

batting_to_date as (

    select
        dates.game_date,
        sum(batting_days.strikeouts) as strikeouts,
        sum(batting_days.plate_appearances) as plate_appearances,
        max(batting_days.game_date) as last_input_game_date

    from dates
    left join batting_days
        on
            dates.season = batting_days.season
            and dates.game_date > batting_days.game_date
    group by 1

),

starters_to_date as (

    select
        dates.game_date,
        sum(starter_days.starts) as starts,
        sum(starter_days.batters_faced) as batters_faced,
        sum(starter_days.outs_recorded) as outs_recorded,
        max(starter_days.game_date) as last_input_game_date

    from dates
    left join starter_days
        on
            dates.season = starter_days.season
            and dates.game_date > starter_days.game_date
    group by 1

),

batting_seasons as (

    select
        season,
        sum(strikeouts) as strikeouts,
        sum(plate_appearances) as plate_appearances,
        max(game_date) as last_game_date

    from batting_days
    group by 1

),

starter_seasons as (

    select
        season,
        sum(starts) as starts,
        sum(batters_faced) as batters_faced,
        sum(outs_recorded) as outs_recorded,
        max(game_date) as last_game_date

    from starter_days
    group by 1

),

rates as (

    select
        dates.game_date,
        dates.season,
        cast(coalesce(batting_to_date.plate_appearances, 0) as {{ dbt.type_int() }}) as league_pa_to_date,
        {{ features_safe_divide('batting_to_date.strikeouts', 'batting_to_date.plate_appearances') }}
            as league_k_pct_to_date,
        {{ features_safe_divide('prior_batting.strikeouts', 'prior_batting.plate_appearances') }}
            as league_k_pct_prior_season,
        {{ features_safe_divide('starters_to_date.batters_faced', 'starters_to_date.starts') }}
            as league_bf_per_start_to_date,
        {{ features_safe_divide('prior_starters.batters_faced', 'prior_starters.starts') }}
            as league_bf_per_start_prior_season,
        {{ features_safe_divide('starters_to_date.outs_recorded', 'starters_to_date.starts') }}
            as league_outs_per_start_to_date,
        {{ features_safe_divide('prior_starters.outs_recorded', 'prior_starters.starts') }}
            as league_outs_per_start_prior_season,
        {{ features_newest_date([
            'batting_to_date.last_input_game_date', 'starters_to_date.last_input_game_date',
            'prior_batting.last_game_date', 'prior_starters.last_game_date']) }} as last_input_game_date

    from dates
    left join batting_to_date on dates.game_date = batting_to_date.game_date
    left join starters_to_date on dates.game_date = starters_to_date.game_date
    left join batting_seasons as prior_batting on dates.season - 1 = prior_batting.season
    left join starter_seasons as prior_starters on dates.season - 1 = prior_starters.season

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

)

select * from final
