{#- The quarantine (relation `predictions_quarantine`): every prediction row held back by a row-level rule
    (int_predictions_checked), with the first rule it broke, all of them, a one-line detail, the scorer
    batch that produced it and the dbt invocation that last held it back. Incremental MERGE on
    quarantine_id (prediction_id, scored_at and the rules broken): a row held back again keeps its first
    quarantined_at and gets the new invocation; a row no longer held back (its landing row fixed or
    deleted) gets released_at, and is never deleted: the history of what was held back stays. -#}
{%- set on_bigquery = target.type == 'bigquery' -%}
{%- set now = 'cast(' ~ dbt.current_timestamp() ~ ' as ' ~ dbt.type_timestamp() ~ ')' -%}

{{ config(
    materialized='incremental',
    alias='predictions_quarantine',
    unique_key='quarantine_id',
    incremental_strategy='merge',
    on_schema_change='append_new_columns',
    partition_by=({'field': 'game_date', 'data_type': 'date', 'granularity': 'day'} if on_bigquery else none),
    cluster_by=(['quarantine_rule', 'system_id'] if on_bigquery else none),
) }}

with

checked as (

    select * from {{ ref('int_predictions_checked') }}
    where quarantine_rule is not null

),

held_back as (

    select
        {{ dbt.hash(
            "concat(coalesce(checked.prediction_id, ''), '|', coalesce(cast(checked.scored_at as "
            ~ dbt.type_string() ~ "), ''), '|', checked.quarantine_rules)"
        ) }} as quarantine_id,
        cast(checked.prediction_id as {{ dbt.type_string() }}) as prediction_id,
        cast(checked.system_id as {{ dbt.type_string() }}) as system_id,
        cast(checked.model_version as {{ dbt.type_string() }}) as model_version,
        cast(checked.game_id as {{ dbt.type_string() }}) as game_id,
        cast(checked.pitcher_id as {{ dbt.type_string() }}) as pitcher_id,
        cast(checked.pitcher_name as {{ dbt.type_string() }}) as pitcher_name,
        cast(checked.team as {{ dbt.type_string() }}) as team,
        cast(checked.prediction_source as {{ dbt.type_string() }}) as prediction_source,
        cast(checked.batch_id as {{ dbt.type_string() }}) as batch_id,
        cast(checked.quarantine_rule as {{ dbt.type_string() }}) as quarantine_rule,
        cast(checked.quarantine_rules as {{ dbt.type_string() }}) as quarantine_rules,
        cast(checked.quarantine_detail as {{ dbt.type_string() }}) as quarantine_detail,
        cast('{{ invocation_id }}' as {{ dbt.type_string() }}) as last_invocation_id,
        cast(checked.predicted_strikeouts as {{ type_double() }}) as predicted_strikeouts,
        cast(checked.strikeouts_line as {{ type_double() }}) as strikeouts_line,
        cast(checked.over_odds as {{ type_int64() }}) as over_odds,
        cast(checked.under_odds as {{ type_int64() }}) as under_odds,
        checked.game_date,
        cast(checked.scored_at as {{ dbt.type_timestamp() }}) as scored_at

    from checked

),

-- What the table held before this run (nothing on a full build).
previous as (

    {%- if is_incremental() %}
        select * from {{ this }}
    {%- else %}
        select
            held_back.*,
            cast(null as {{ dbt.type_timestamp() }}) as quarantined_at,
            cast(null as {{ dbt.type_timestamp() }}) as last_held_back_at,
            cast(null as {{ dbt.type_timestamp() }}) as released_at

        from held_back
        where false
    {%- endif %}

),

-- Held back now: the first quarantine time survives a re-run.
current_rows as (

    select
        held_back.*,
        coalesce(previous.quarantined_at, {{ now }}) as quarantined_at,
        {{ now }} as last_held_back_at,
        cast(null as {{ dbt.type_timestamp() }}) as released_at

    from held_back
    left join previous
        on held_back.quarantine_id = previous.quarantine_id

),

-- Held back before, not any more: released, kept as history.
released_rows as (

    select
        previous.quarantine_id,
        previous.prediction_id,
        previous.system_id,
        previous.model_version,
        previous.game_id,
        previous.pitcher_id,
        previous.pitcher_name,
        previous.team,
        previous.prediction_source,
        previous.batch_id,
        previous.quarantine_rule,
        previous.quarantine_rules,
        previous.quarantine_detail,
        previous.last_invocation_id,
        previous.predicted_strikeouts,
        previous.strikeouts_line,
        previous.over_odds,
        previous.under_odds,
        previous.game_date,
        previous.scored_at,
        previous.quarantined_at,
        previous.last_held_back_at,
        {{ now }} as released_at

    from previous
    left join held_back
        on previous.quarantine_id = held_back.quarantine_id
    where
        previous.released_at is null
        and held_back.quarantine_id is null

),

final as (

    select * from current_rows
    union all
    select * from released_rows

)

select * from final
