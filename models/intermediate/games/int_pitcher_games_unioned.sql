{#- The feature store's spine: one row per starter per game date. Played games come from the game logs
    (for history the probable starter IS the actual starter; real 2021-22 data has no probable-starters
    table); games without a game log yet (today's slate, tomorrow's announcements) come from the probable
    starters. Result columns are NULL on those pending rows. The game's pre-game facts (scheduled innings,
    DH, home-plate umpire, the team's manager) come from the game log and team game of a played game and
    from the announcement of a pending one (optional there: NULL when not announced). `loaded_at` is the
    newest load of the row's inputs: the incremental feature tables recompute from its date when it is
    newer than what they were built from (macros/features/incremental.sql). -#}
{#- Its data tests read only the rows dated on or after var('tests_since_date') when it is set
    (macros/tests_scope.sql). -#}
{{ config(meta={'tests_since_column': 'game_date'}) }}
with

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

probables as (

    select * from {{ ref('int_probable_starters_team_coded') }}

),

team_games as (

    select * from {{ ref('int_team_games_team_coded') }}

),

played as (

    select
        starts.game_id,
        starts.pitcher_id,
        starts.pitcher_name,
        starts.team,
        starts.opponent,
        starts.park_id,
        starts.pitcher_throws,
        starts.season,
        starts.game_number,
        starts.strikeouts,
        starts.batters_faced,
        starts.outs_recorded,
        starts.walks,
        starts.hits_allowed,
        starts.earned_runs,
        starts.opp_lineup_lhb,
        starts.opp_lineup_rhb,
        starts.opp_lineup_swb,
        starts.opp_lineup_platoon_adv,
        coalesce(starts.scheduled_innings, probables.scheduled_innings) as scheduled_innings,
        coalesce(starts.umpire_home_id, probables.umpire_home_id) as umpire_home_id,
        coalesce(team_games.manager_id, probables.manager_id) as manager_id,
        starts.is_home,
        starts.is_day_game,
        coalesce(starts.is_dh_game, probables.is_dh_game) as is_dh_game,
        true as is_played,
        starts.game_date,
        probables.first_pitch_at,
        {{ features_newest_date(['starts.loaded_at', 'probables.loaded_at', 'team_games.loaded_at']) }}
            as loaded_at

    from starts
    left join probables
        on
            starts.game_id = probables.game_id
            and starts.team = probables.team
    left join team_games
        on
            starts.game_id = team_games.game_id
            and starts.team = team_games.team

),

pending_candidates as (

    select
        probables.*,
        row_number() over (
            partition by probables.pitcher_id, probables.game_date
            order by probables.announced_at desc, probables.game_id asc
        ) as announcement_rank

    from probables
    left join starts as same_game
        on
            probables.game_id = same_game.game_id
            and probables.team = same_game.team
    left join starts as same_day
        on
            probables.pitcher_id = same_day.pitcher_id
            and probables.game_date = same_day.game_date
    where
        same_game.game_id is null
        and same_day.game_id is null

),

pending as (

    select
        game_id,
        pitcher_id,
        pitcher_name,
        team,
        opponent,
        park_id,
        pitcher_throws,
        cast(extract(year from game_date) as {{ dbt.type_int() }}) as season,
        {{ dbt.safe_cast('right(game_id, 1)', dbt.type_int()) }} as game_number,
        cast(null as {{ dbt.type_int() }}) as strikeouts,
        cast(null as {{ dbt.type_int() }}) as batters_faced,
        cast(null as {{ dbt.type_int() }}) as outs_recorded,
        cast(null as {{ dbt.type_int() }}) as walks,
        cast(null as {{ dbt.type_int() }}) as hits_allowed,
        cast(null as {{ dbt.type_int() }}) as earned_runs,
        opp_lineup_lhb,
        opp_lineup_rhb,
        opp_lineup_swb,
        opp_lineup_platoon_adv,
        scheduled_innings,
        umpire_home_id,
        manager_id,
        is_home,
        is_day_game,
        is_dh_game,
        false as is_played,
        game_date,
        first_pitch_at,
        loaded_at

    from pending_candidates
    where announcement_rank = 1

),

unioned as (

    select * from played
    union all
    select * from pending

)

select * from unioned
