{#- The public predictions table (relation `pitcher_strikeouts`): a thin, contracted, incremental select of
    int_predictions_graded (landing + legacy rows, status and grade). An incremental run re-selects
    - every row with game_date in the last var('grading_lookback_days') days before as_of_date(): late
      lines, late results and withdrawals (a replaced starter) update their rows;
    - every landing row not yet merged with its latest content, whatever its date (a backfill of any past
      range merges whatever today's date is).
    MERGE on prediction_id. On BigQuery the MERGE is limited to partitions on or after
    var('predictions_merge_start') (the runner passes the earliest unmerged date; default: the grading
    window), and the pre-hook stops the run with a clear message when an unmerged landing row lies before
    it, instead of letting the MERGE miss it. Only rows that passed every row-level rule are selected
    (int_predictions_checked); the post-hook deletes a published row whose landing row is held back now. -#}
-- depends_on: {{ ref('stg_scoring__predictions') }}
-- depends_on: {{ ref('int_predictions_checked') }}
{%- set grading_start = dbt.dateadd('day', -1 * (var('grading_lookback_days') | int), as_of_date()) -%}
{%- set merge_start = predictions_merge_start() -%}
{%- set on_bigquery = target.type == 'bigquery' -%}

{{ config(
    materialized='incremental',
    alias='pitcher_strikeouts',
    unique_key='prediction_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns',
    partition_by=({'field': 'game_date', 'data_type': 'date', 'granularity': 'day'} if on_bigquery else none),
    cluster_by=(['system_id', 'pitcher_id'] if on_bigquery else none),
    incremental_predicates=(['DBT_INTERNAL_DEST.game_date >= ' ~ merge_start] if on_bigquery else none),
    pre_hook=(["{{ predictions_assert_merge_start(this, ref('stg_scoring__predictions')) }}"] if on_bigquery else []),
    post_hook=["{{ predictions_delete_held_back(ref('int_predictions_checked')) }}"],
) }}

with

graded as (

    select * from {{ ref('int_predictions_graded') }}
    {%- if is_incremental() %}
        where
            game_date >= {{ grading_start }}
            or prediction_id in (
                select unmerged.prediction_id
                from ({{ unmerged_landing_rows(ref('stg_scoring__predictions'), this) }}) as unmerged
            )
    {%- endif %}

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
        cast(void_reason as {{ dbt.type_string() }}) as void_reason,
        cast(prediction_status as {{ dbt.type_string() }}) as prediction_status,
        cast(withdrawn_reason as {{ dbt.type_string() }}) as withdrawn_reason,
        cast(red_flags as {{ dbt.type_string() }}) as red_flags,
        cast(component_systems as {{ dbt.type_string() }}) as component_systems,
        cast(books_seen as {{ dbt.type_string() }}) as books_seen,
        cast(prediction_source as {{ dbt.type_string() }}) as prediction_source,
        cast(batch_id as {{ dbt.type_string() }}) as batch_id,
        cast(extract(year from game_date) as {{ type_int64() }}) as season,
        cast(strikeouts_line as {{ type_double() }}) as strikeouts_line,
        cast(over_odds as {{ type_int64() }}) as over_odds,
        cast(under_odds as {{ type_int64() }}) as under_odds,
        cast(predicted_strikeouts as {{ type_double() }}) as predicted_strikeouts,
        cast(predicted_median as {{ type_double() }}) as predicted_median,
        cast(predicted_p10 as {{ type_double() }}) as predicted_p10,
        cast(predicted_p90 as {{ type_double() }}) as predicted_p90,
        cast(strikeout_pmf as {{ dbt.type_string() }}) as strikeout_pmf,
        cast(p_over as {{ type_double() }}) as p_over,
        cast(p_under as {{ type_double() }}) as p_under,
        cast(p_push as {{ type_double() }}) as p_push,
        cast(raw_p_over_given_no_push as {{ type_double() }}) as raw_p_over_given_no_push,
        cast(market_p_over as {{ type_double() }}) as market_p_over,
        cast(pick_p_over as {{ type_double() }}) as pick_p_over,
        cast(market_weight as {{ type_double() }}) as market_weight,
        cast(edge as {{ type_double() }}) as edge,
        cast(ev_over as {{ type_double() }}) as ev_over,
        cast(ev_under as {{ type_double() }}) as ev_under,
        cast(confidence as {{ type_double() }}) as confidence,
        cast(feature_coverage_pct as {{ type_double() }}) as feature_coverage_pct,
        cast(actual_strikeouts as {{ type_int64() }}) as actual_strikeouts,
        cast(outs_recorded as {{ type_int64() }}) as outs_recorded,
        is_short_start,
        cast(absolute_error as {{ type_double() }}) as absolute_error,
        cast(count_log_loss as {{ type_double() }}) as count_log_loss,
        cast(pit_value as {{ type_double() }}) as pit_value,
        cast(reference_strikeouts as {{ type_double() }}) as reference_strikeouts,
        cast(reference_absolute_error as {{ type_double() }}) as reference_absolute_error,
        is_graded,
        cast(profit_units as {{ type_double() }}) as profit_units,
        game_date,
        cast(line_captured_at as {{ dbt.type_timestamp() }}) as line_captured_at,
        cast(scored_at as {{ dbt.type_timestamp() }}) as scored_at

    from graded

)

select * from final
