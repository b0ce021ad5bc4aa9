{#- Per opponent per game date of the spine: the opponent's batting strikeout rate against ALL pitchers
    (starters and relievers: team games' batting_strikeouts / batting_pa) from its games of the same season
    strictly BEFORE the date: season to date and its last N team games (var team_batting_windows), each
    shrunk toward a prior (empirical Bayes, var team_k_pseudo_pa pseudo plate appearances):

        rate = (strikeouts + k x prior) / (plate appearances + k)

    The prior is the team's previous season, itself shrunk toward that season's league rate with
    var team_k_prior_pseudo_pa (rosters turn over: a full previous season carries about 58% weight); a
    team with no previous season in the data falls back to the league's rate of this season to date.
    Excluded by DATE, so game 2 of a doubleheader does not see game 1; the last-N windows count a
    doubleheader as two games. NULL only when nothing at all is known (the first day of the data). -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, over the whole history they read. -#}
{{ config(**features_incremental_config(['opponent', 'game_date'], 'opponent')) }}
{%- set windows = var('team_batting_windows') -%}
{%- set pseudo_pa = var('team_k_pseudo_pa') -%}
{%- set prior_pseudo_pa = var('team_k_prior_pseudo_pa') -%}

with

games as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

team_games as (

    select * from {{ ref('int_team_games_joined') }}

),

league as (

    select * from {{ ref('int_league_days_windowed') }}

),

targets as (

    select distinct
        opponent,
        game_date,
        season

    from games
    where {{ features_is_new('game_date') }}

),

earlier_games as (

    select
        targets.opponent,
        targets.game_date,
        team_games.game_date as input_game_date,
        team_games.batting_pa,
        team_games.batting_strikeouts,
        row_number() over (
            partition by targets.opponent, targets.game_date
            order by team_games.game_date desc, team_games.game_number desc, team_games.game_id desc
        ) as games_ago

    from targets
    inner join team_games
        on
            targets.opponent = team_games.team
            and targets.season = team_games.season
            and targets.game_date > team_games.game_date

),

windowed as (

    select
        opponent,
        game_date,
        count(*) as games_season,
        sum(batting_pa) as pa_season,
        sum(batting_strikeouts) as strikeouts_season,
        {%- for n in windows %}
            sum(case when games_ago <= {{ n }} then batting_pa end) as pa_last_{{ n }},
            sum(case when games_ago <= {{ n }} then batting_strikeouts end) as strikeouts_last_{{ n }},
        {%- endfor %}
        max(input_game_date) as last_input_game_date

    from earlier_games
    group by 1, 2

),

team_seasons as (

    select
        team,
        season,
        sum(batting_pa) as plate_appearances,
        sum(batting_strikeouts) as strikeouts

    from team_games
    group by 1, 2

),

priors as (

    select
        targets.opponent,
        targets.game_date,
        case
            when prior_season.plate_appearances > 0
                then {{ features_shrunk_rate(
                    'prior_season.strikeouts', 'prior_season.plate_appearances',
                    'league.league_k_pct_prior_season', prior_pseudo_pa) }}
            else league.league_k_pct_reference
        end as prior_k_pct,
        league.last_input_game_date as league_last_input_date

    from targets
    left join team_seasons as prior_season
        on
            targets.opponent = prior_season.team
            and targets.season - 1 = prior_season.season
    left join league on targets.game_date = league.game_date

),

final as (

    select
        targets.opponent,
        targets.game_date,
        cast(coalesce(windowed.games_season, 0) as {{ dbt.type_int() }}) as opp_bat_games_season,
        cast(coalesce(windowed.pa_season, 0) as {{ dbt.type_int() }}) as opp_bat_pa_season,
        priors.prior_k_pct as opp_bat_k_pct_prior,
        {{ features_shrunk_rate('windowed.strikeouts_season', 'windowed.pa_season', 'priors.prior_k_pct', pseudo_pa) }}
            as opp_bat_k_pct_season,
        {%- for n in windows %}
            {{ features_shrunk_rate(
                'windowed.strikeouts_last_' ~ n, 'windowed.pa_last_' ~ n, 'priors.prior_k_pct', pseudo_pa) }}
                as opp_bat_k_pct_last_{{ n }},
        {%- endfor %}
        {{ features_newest_date(['windowed.last_input_game_date', 'priors.league_last_input_date']) }}
            as last_input_game_date

    from targets
    left join windowed
        on
            targets.opponent = windowed.opponent
            and targets.game_date = windowed.game_date
    left join priors
        on
            targets.opponent = priors.opponent
            and targets.game_date = priors.game_date

),

stamped as (

    {{ features_with_inputs_loaded_at('final', ref('int_pitcher_games_unioned')) }}

)

select * from stamped
