{#- Every prediction ever made, one row per system per pitcher per game date: the scorer's landing rows
    plus the migrated legacy rows. Legacy rows carry only a name slug; their pitcher is resolved among the
    starters of that date (announced or actual) whose name has that slug, and, where the date has no such
    starter, in dim_pitchers by name slug. A slug that matches two pitchers is ambiguous and stays
    unresolved (pitcher_id NULL), never a guess: gate predictions_legacy_pitchers_resolved names them.
    Where a landing row and a legacy row describe the same pitcher, date and system, the scorer's row wins. -#}
with

landing as (

    select * from {{ ref('stg_scoring__predictions') }}

),

legacy as (

    select * from {{ ref('stg_legacy__predictions') }}

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

probables as (

    select * from {{ ref('int_probable_starters_team_coded') }}

),

pitchers as (

    select * from {{ ref('dim_pitchers') }}

),

starters_of_the_date as (

    select
        game_date,
        pitcher_lookup,
        pitcher_id,
        game_id,
        team,
        opponent

    from probables

    union all

    select
        game_date,
        pitcher_lookup,
        pitcher_id,
        game_id,
        team,
        opponent

    from starts

),

-- One row per date and slug; ambiguous when two different pitchers share the slug that day.
date_matches as (

    select
        game_date,
        pitcher_lookup,
        count(distinct pitcher_id) as n_pitchers,
        max(pitcher_id) as pitcher_id,
        max(game_id) as game_id,
        max(team) as team,
        max(opponent) as opponent

    from starters_of_the_date
    group by 1, 2

),

slug_matches as (

    select
        name_slug,
        count(*) as n_pitchers,
        max(pitcher_id) as pitcher_id

    from pitchers
    group by 1

),

landing_rows as (

    select
        prediction_id,
        system_id,
        model_version,
        game_id,
        pitcher_id,
        pitcher_lookup,
        pitcher_name,
        team,
        opponent,
        bookmaker,
        recommendation,
        red_flags,
        component_systems,
        books_seen,
        batch_id,
        'landing' as prediction_source,
        strikeouts_line,
        over_odds,
        under_odds,
        predicted_strikeouts,
        predicted_median,
        predicted_p10,
        predicted_p90,
        strikeout_pmf,
        p_over,
        p_under,
        p_push,
        market_p_over,
        pick_p_over,
        market_weight,
        edge,
        ev_over,
        ev_under,
        confidence,
        feature_coverage_pct,
        game_date,
        line_captured_at,
        scored_at

    from landing

),

legacy_rows as (

    select
        {{ prediction_id('legacy.game_date', 'legacy.pitcher_lookup', 'legacy.system_id') }} as prediction_id,
        legacy.system_id,
        legacy.model_version,
        case when date_matches.n_pitchers = 1 then date_matches.game_id end as game_id,
        case
            when date_matches.n_pitchers = 1 then date_matches.pitcher_id
            when date_matches.n_pitchers is null and slug_matches.n_pitchers = 1 then slug_matches.pitcher_id
        end as pitcher_id,
        legacy.pitcher_lookup,
        legacy.pitcher_name,
        case when date_matches.n_pitchers = 1 then date_matches.team end as team,
        case when date_matches.n_pitchers = 1 then date_matches.opponent end as opponent,
        cast(null as {{ dbt.type_string() }}) as bookmaker,
        legacy.recommendation,
        '[]' as red_flags,
        cast(null as {{ dbt.type_string() }}) as component_systems,
        cast(null as {{ dbt.type_string() }}) as books_seen,
        'legacy_migration' as batch_id,
        'legacy' as prediction_source,
        legacy.strikeouts_line,
        legacy.over_odds,
        legacy.under_odds,
        legacy.predicted_strikeouts,
        cast(null as {{ type_double() }}) as predicted_median,
        cast(null as {{ type_double() }}) as predicted_p10,
        cast(null as {{ type_double() }}) as predicted_p90,
        cast(null as {{ dbt.type_string() }}) as strikeout_pmf,
        cast(null as {{ type_double() }}) as p_over,
        cast(null as {{ type_double() }}) as p_under,
        cast(null as {{ type_double() }}) as p_push,
        cast(null as {{ type_double() }}) as market_p_over,
        cast(null as {{ type_double() }}) as pick_p_over,
        cast(null as {{ type_double() }}) as market_weight,
        legacy.edge,
        cast(null as {{ type_double() }}) as ev_over,
        cast(null as {{ type_double() }}) as ev_under,
        legacy.confidence,
        legacy.feature_coverage_pct,
        legacy.game_date,
        cast(null as {{ dbt.type_timestamp() }}) as line_captured_at,
        legacy.created_at as scored_at

    from legacy
    left join date_matches
        on
            legacy.game_date = date_matches.game_date
            and legacy.pitcher_lookup = date_matches.pitcher_lookup
    left join slug_matches
        on legacy.pitcher_lookup = slug_matches.name_slug

),

unioned as (

    select * from landing_rows
    union all
    select * from legacy_rows

),

-- The same pitcher, date and system from both sources (a legacy date re-scored by the scorer): the
-- scorer's row wins. Unresolved legacy rows have no pitcher to compare and are kept.
ranked as (

    select
        unioned.*,
        row_number() over (
            partition by unioned.game_date, coalesce(unioned.pitcher_id, unioned.prediction_id), unioned.system_id
            order by case when unioned.prediction_source = 'landing' then 0 else 1 end, unioned.scored_at desc
        ) as source_rank

    from unioned

),

deduplicated as (

    select * from ranked
    where source_rank = 1

)

select * from deduplicated
