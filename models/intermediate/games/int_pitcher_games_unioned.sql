{#- The feature store's spine: one row per starter per game date. Played games come from the game logs
    (for history the probable starter IS the actual starter; real 2021-22 data has no probable-starters
    table); games without a game log yet (today's slate, tomorrow's announcements) come from the probable
    starters. Result columns are NULL on those pending rows. The game's pre-game facts (scheduled innings,
    DH, home-plate umpire, the team's manager) come from the game log and team game of a played game and
    from the announcement of a pending one (optional there: NULL when not announced). `loaded_at` is the
    newest load of the row's inputs: the incremental feature tables recompute from its date when it is
    newer than what they were built from (macros/features/incremental.sql). -#}
{#- The opposing lineup (`opp_lineup_*`, `opp_lineup_source`): a played row's own ('played'); a pending
    row's announced one ('announced'); else the opponent's most recent lineup ('recent'): the one the
    opposing starter faced in the opponent's latest played game dated strictly before the row's date, with
    the platoon edge recounted against this pitcher's hand as the loaders count it (switch hitters plus the
    batters of the other hand; NULL when his hand is unknown). So a morning before the lineups are posted
    scores with a lineup, as every training row has one. A lineup reloaded later changes only rows dated
    after it, which the incremental rule already recomputes. -#}
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
        case when {{ features_has_lineup('starts') }} then 'played' end as opp_lineup_source,
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

lineups_faced as (

    select
        opponent,
        game_date,
        game_number,
        game_id,
        opp_lineup_lhb,
        opp_lineup_rhb,
        opp_lineup_swb

    from played
    where {{ features_has_lineup('played') }}

),

recent_lineups as (

    select
        pending_candidates.pitcher_id,
        pending_candidates.game_date,
        lineups_faced.opp_lineup_lhb,
        lineups_faced.opp_lineup_rhb,
        lineups_faced.opp_lineup_swb,
        lineups_faced.opp_lineup_swb + case pending_candidates.pitcher_throws
            when 'R' then lineups_faced.opp_lineup_lhb
            when 'L' then lineups_faced.opp_lineup_rhb
        end as opp_lineup_platoon_adv,
        row_number() over (
            partition by pending_candidates.pitcher_id, pending_candidates.game_date
            order by lineups_faced.game_date desc, lineups_faced.game_number desc, lineups_faced.game_id desc
        ) as lineup_rank

    from pending_candidates
    inner join lineups_faced
        on
            pending_candidates.opponent = lineups_faced.opponent
            and pending_candidates.game_date > lineups_faced.game_date
    where
        pending_candidates.announcement_rank = 1
        and not {{ features_has_lineup('pending_candidates') }}

),

pending as (

    select
        pending_candidates.game_id,
        pending_candidates.pitcher_id,
        pending_candidates.pitcher_name,
        pending_candidates.team,
        pending_candidates.opponent,
        pending_candidates.park_id,
        pending_candidates.pitcher_throws,
        cast(extract(year from pending_candidates.game_date) as {{ dbt.type_int() }}) as season,
        {{ dbt.safe_cast('right(pending_candidates.game_id, 1)', dbt.type_int()) }} as game_number,
        cast(null as {{ dbt.type_int() }}) as strikeouts,
        cast(null as {{ dbt.type_int() }}) as batters_faced,
        cast(null as {{ dbt.type_int() }}) as outs_recorded,
        cast(null as {{ dbt.type_int() }}) as walks,
        cast(null as {{ dbt.type_int() }}) as hits_allowed,
        cast(null as {{ dbt.type_int() }}) as earned_runs,
        {%- for column in ['opp_lineup_lhb', 'opp_lineup_rhb', 'opp_lineup_swb', 'opp_lineup_platoon_adv'] %}
            case
                when {{ features_has_lineup('pending_candidates') }} then pending_candidates.{{ column }}
                else recent_lineups.{{ column }}
            end as {{ column }},
        {%- endfor %}
        case
            when {{ features_has_lineup('pending_candidates') }} then 'announced'
            when recent_lineups.pitcher_id is not null then 'recent'
        end as opp_lineup_source,
        pending_candidates.scheduled_innings,
        pending_candidates.umpire_home_id,
        pending_candidates.manager_id,
        pending_candidates.is_home,
        pending_candidates.is_day_game,
        pending_candidates.is_dh_game,
        false as is_played,
        pending_candidates.game_date,
        pending_candidates.first_pitch_at,
        pending_candidates.loaded_at

    from pending_candidates
    left join recent_lineups
        on
            pending_candidates.pitcher_id = recent_lineups.pitcher_id
            and pending_candidates.game_date = recent_lineups.game_date
            and recent_lineups.lineup_rank = 1
    where pending_candidates.announcement_rank = 1

),

unioned as (

    select * from played
    union all
    select * from pending

)

select * from unioned
