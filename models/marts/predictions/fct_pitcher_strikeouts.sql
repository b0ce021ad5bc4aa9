{#- The public predictions table (relation `pitcher_strikeouts`): every system's prediction for every
    probable starter and date, from the scorer's landing table and the migrated legacy table, graded once
    the game log arrives. Incremental MERGE on prediction_id: an incremental run re-selects rows with
    game_date in the last var('grading_lookback_days') days (late lines and results update rows) plus rows
    the scorer re-wrote since the last run, both within var('predictions_merge_window_days') of
    as_of_date(); on BigQuery the MERGE is limited to those partitions (incremental_predicates). -#}
{%- set window_start = dbt.dateadd('day', -1 * (var('predictions_merge_window_days') | int), as_of_date()) -%}
{%- set grading_start = dbt.dateadd('day', -1 * (var('grading_lookback_days') | int), as_of_date()) -%}
{%- set on_bigquery = target.type == 'bigquery' -%}

{{ config(
    materialized='incremental',
    alias='pitcher_strikeouts',
    unique_key='prediction_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns',
    partition_by=({'field': 'game_date', 'data_type': 'date', 'granularity': 'day'} if on_bigquery else none),
    cluster_by=(['system_id', 'pitcher_lookup'] if on_bigquery else none),
    incremental_predicates=(['DBT_INTERNAL_DEST.game_date >= ' ~ window_start] if on_bigquery else none),
) }}

with

landing as (

    select * from {{ ref('stg_scoring__predictions') }}
    {%- if is_incremental() %}
        where
            game_date >= {{ window_start }}
            and (
                game_date >= {{ grading_start }}
                or scored_at > (
                    select coalesce(max(this.scored_at), cast('1900-01-01 00:00:00' as {{ dbt.type_timestamp() }}))
                    from {{ this }} as this
                    where this.prediction_source = 'landing'
                )
            )
    {%- endif %}

),

legacy as (

    select * from {{ ref('stg_legacy__predictions') }}
    {%- if is_incremental() %}
        where game_date >= {{ window_start }} and game_date >= {{ grading_start }}
    {%- endif %}

),

starts as (

    select * from {{ ref('stg_gamelogs__pitcher_starts') }}

),

probables as (

    select * from {{ ref('stg_schedule__probable_starters') }}

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
        batch_id,
        'landing' as prediction_source,
        strikeouts_line,
        over_odds,
        under_odds,
        predicted_strikeouts,
        p_over,
        p_under,
        p_push,
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

-- Legacy rows carry only a name slug: the pitcher's id, game and teams come from the probable starters
-- of that date (one row per date and slug, so the join never fans out).
probables_by_slug as (

    select
        game_date,
        pitcher_lookup,
        min(pitcher_id) as pitcher_id,
        min(game_id) as game_id,
        min(team) as team,
        min(opponent) as opponent

    from probables
    group by 1, 2

),

legacy_rows as (

    select
        {{ prediction_id('legacy.game_date', 'legacy.pitcher_lookup', 'legacy.system_id') }} as prediction_id,
        legacy.system_id,
        legacy.model_version,
        probables_by_slug.game_id,
        probables_by_slug.pitcher_id,
        legacy.pitcher_lookup,
        legacy.pitcher_name,
        probables_by_slug.team,
        probables_by_slug.opponent,
        cast(null as {{ dbt.type_string() }}) as bookmaker,
        legacy.recommendation,
        '[]' as red_flags,
        cast(null as {{ dbt.type_string() }}) as component_systems,
        'legacy_migration' as batch_id,
        'legacy' as prediction_source,
        legacy.strikeouts_line,
        legacy.over_odds,
        legacy.under_odds,
        legacy.predicted_strikeouts,
        cast(null as {{ type_double() }}) as p_over,
        cast(null as {{ type_double() }}) as p_under,
        cast(null as {{ type_double() }}) as p_push,
        legacy.edge,
        cast(null as {{ type_double() }}) as ev_over,
        cast(null as {{ type_double() }}) as ev_under,
        legacy.confidence,
        legacy.feature_coverage_pct,
        legacy.game_date,
        cast(null as {{ dbt.type_timestamp() }}) as line_captured_at,
        legacy.created_at as scored_at

    from legacy
    left join probables_by_slug
        on
            legacy.game_date = probables_by_slug.game_date
            and legacy.pitcher_lookup = probables_by_slug.pitcher_lookup

),

unioned as (

    select * from landing_rows
    union all
    select * from legacy_rows

),

-- The scorer re-scoring a legacy date for the same system yields the same key: its row wins.
ranked as (

    select
        unioned.*,
        row_number() over (
            partition by unioned.prediction_id
            order by case when unioned.prediction_source = 'landing' then 0 else 1 end, unioned.scored_at desc
        ) as source_rank

    from unioned

),

predictions as (

    select * from ranked
    where source_rank = 1

),

-- One start per pitcher and date (a pitcher never starts both games of a doubleheader; if the data
-- says so, the first game counts).
starts_ranked as (

    select
        game_id,
        pitcher_id,
        strikeouts,
        outs_recorded,
        game_date,
        row_number() over (partition by game_date, pitcher_id order by game_id) as start_rank

    from starts

),

pitcher_starts as (

    select * from starts_ranked
    where start_rank = 1

),

final_games as (

    select distinct game_id from starts

),

final_dates as (

    select distinct game_date from starts

),

graded as (

    select
        predictions.*,
        pitcher_starts.strikeouts as actual_strikeouts,
        pitcher_starts.outs_recorded,
        -- The grading rule (documented in _predictions__docs.md, doc `grading_rule`).
        case
            when
                pitcher_starts.pitcher_id is null
                and (
                    final_games.game_id is not null
                    or (predictions.game_id is null and final_dates.game_date is not null)
                )
                then 'void'
            when pitcher_starts.pitcher_id is null then 'pending'
            when pitcher_starts.outs_recorded <= {{ var('void_max_outs') }} then 'void'
            when predictions.recommendation not in ('OVER', 'UNDER') or predictions.strikeouts_line is null
                then 'no_bet'
            when pitcher_starts.strikeouts = predictions.strikeouts_line then 'push'
            when predictions.recommendation = 'OVER' and pitcher_starts.strikeouts > predictions.strikeouts_line
                then 'win'
            when predictions.recommendation = 'UNDER' and pitcher_starts.strikeouts < predictions.strikeouts_line
                then 'win'
            else 'loss'
        end as result

    from predictions
    left join pitcher_starts
        on
            predictions.game_date = pitcher_starts.game_date
            and predictions.pitcher_id = pitcher_starts.pitcher_id
    left join final_games
        on predictions.game_id = final_games.game_id
    left join final_dates
        on predictions.game_date = final_dates.game_date

),

final as (

    select
        cast(prediction_id as {{ dbt.type_string() }}) as prediction_id,
        cast(system_id as {{ dbt.type_string() }}) as system_id,
        cast(model_version as {{ dbt.type_string() }}) as model_version,
        cast(game_id as {{ dbt.type_string() }}) as game_id,
        cast(pitcher_id as {{ dbt.type_string() }}) as pitcher_id,
        cast(pitcher_lookup as {{ dbt.type_string() }}) as pitcher_lookup,
        cast(pitcher_name as {{ dbt.type_string() }}) as pitcher_name,
        cast(team as {{ dbt.type_string() }}) as team,
        cast(opponent as {{ dbt.type_string() }}) as opponent,
        cast(bookmaker as {{ dbt.type_string() }}) as bookmaker,
        cast(recommendation as {{ dbt.type_string() }}) as recommendation,
        cast(result as {{ dbt.type_string() }}) as result,
        cast(red_flags as {{ dbt.type_string() }}) as red_flags,
        cast(component_systems as {{ dbt.type_string() }}) as component_systems,
        cast(prediction_source as {{ dbt.type_string() }}) as prediction_source,
        cast(batch_id as {{ dbt.type_string() }}) as batch_id,
        cast(extract(year from game_date) as {{ type_int64() }}) as season,
        cast(strikeouts_line as {{ type_double() }}) as strikeouts_line,
        cast(over_odds as {{ type_int64() }}) as over_odds,
        cast(under_odds as {{ type_int64() }}) as under_odds,
        cast(predicted_strikeouts as {{ type_double() }}) as predicted_strikeouts,
        cast(p_over as {{ type_double() }}) as p_over,
        cast(p_under as {{ type_double() }}) as p_under,
        cast(p_push as {{ type_double() }}) as p_push,
        cast(edge as {{ type_double() }}) as edge,
        cast(ev_over as {{ type_double() }}) as ev_over,
        cast(ev_under as {{ type_double() }}) as ev_under,
        cast(confidence as {{ type_double() }}) as confidence,
        cast(feature_coverage_pct as {{ type_double() }}) as feature_coverage_pct,
        cast(actual_strikeouts as {{ type_int64() }}) as actual_strikeouts,
        cast(outs_recorded as {{ type_int64() }}) as outs_recorded,
        cast(
            case when result in ('win', 'loss', 'push', 'no_bet') then abs(predicted_strikeouts - actual_strikeouts) end
            as {{ type_double() }}
        ) as absolute_error,
        result in ('win', 'loss', 'push', 'no_bet') as is_graded,
        game_date,
        cast(line_captured_at as {{ dbt.type_timestamp() }}) as line_captured_at,
        cast(scored_at as {{ dbt.type_timestamp() }}) as scored_at

    from graded

)

select * from final
