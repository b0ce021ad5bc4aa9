{#- The incremental rule of the feature tables (the windowed intermediates and ml_feature_store), in one
    place. Every window reads only inputs dated strictly before its row's date, so a changed input on date
    C can change rows dated after C and nothing earlier. An incremental run therefore:
      1. (pre-hook, features_delete_recomputed_rows) deletes the rows dated on or after the recompute start:
         the newest built date minus var('incremental_lookback_days') (late announcements, scratches, a
         game's status), or the earliest date of a spine row loaded after the table was built
         (`loaded_at` newer than the table's `inputs_loaded_at`: a late result, a corrected game line),
         whichever is earlier;
      2. (model body, features_is_new) computes the rows dated after the newest date the table still
         holds, over the whole history they read, and inserts them.
    So a morning computes only its new dates, and a correction 10 days back recomputes the 10 days since.
    A full refresh renders neither step. -#}

{#- A scalar subquery: the first game_date an incremental run recomputes (NULL on an empty table). -#}
{% macro features_recompute_start(spine_relation) -%}
    select
        least(
            cast({{ dbt.dateadd('day', -1 * (var('incremental_lookback_days') | int), 'max(built.game_date)') }} as date),
            coalesce(
                (
                    select min(spine.game_date)
                    from {{ spine_relation }} as spine
                    where spine.loaded_at > (select max(marks.inputs_loaded_at) from {{ this }} as marks)
                ),
                max(built.game_date)
            )
        )
    from {{ this }} as built
{%- endmacro %}

{#- Pre-hook of every incremental feature table: step 1 above. Renders nothing on a full build. A table
    built before `inputs_loaded_at` existed (a full table of an older version) is emptied instead: the
    run rebuilds it whole and on_schema_change adds the column, so an upgrade needs no --full-refresh. -#}
{% macro features_delete_recomputed_rows(spine_relation) -%}
    {%- if is_incremental() -%}
        {%- set columns = adapter.get_columns_in_relation(this) | map(attribute='name') | map('lower') | list -%}
        {%- if 'inputs_loaded_at' in columns -%}
            delete from {{ this }}
            where game_date >= ({{ features_recompute_start(spine_relation) }})
        {%- else -%}
            delete from {{ this }} where true
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- Model-body filter, step 2 above: `column` is after the newest date the table holds (always true on a
    full build). -#}
{% macro features_is_new(column) -%}
    {%- if is_incremental() -%}
        {{ column }} > coalesce((select max(built.game_date) from {{ this }} as built), cast('1900-01-01' as date))
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{#- Select body of a CTE: per game_date of the spine, `inputs_loaded_at` = the newest `loaded_at` of the
    spine rows dated on or before it, the newest load any row of that date can read. It depends on the data
    alone (a full refresh and an incremental run give the same value) and is the table's high-water mark
    for step 1. -#}
{% macro features_input_loads(spine_relation) -%}
    select
        game_date,
        max(max(loaded_at)) over (
            order by game_date
            rows between unbounded preceding and current row
        ) as inputs_loaded_at
    from {{ spine_relation }}
    group by 1
{%- endmacro %}

{#- BigQuery partitioning of the feature tables: by game_date (day), so the pre-hook's delete and the
    MERGE touch only the recomputed partitions. dbt-duckdb reads `partition_by` as its own (file
    partitioning) option and rejects BigQuery's dict, so it is set on BigQuery only. -#}
{% macro features_partition_by() -%}
    {%- set by_day = {'field': 'game_date', 'data_type': 'date', 'granularity': 'day'} -%}
    {{ return(by_day if target.type == 'bigquery' else none) }}
{%- endmacro %}

{#- The config() of every incremental feature table, one place: keyed by `unique_key` (game_date and the
    entity), clustered on BigQuery by `cluster_by`, its data tests scoped by var('tests_since_date') on
    game_date (macros/tests_scope.sql), and the pre-hook above. -#}
{% macro features_incremental_config(unique_key, cluster_by=none) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'merge',
        'unique_key': unique_key,
        'on_schema_change': 'append_new_columns',
        'meta': {'tests_since_column': 'game_date'},
        'partition_by': features_partition_by(),
        'cluster_by': ([cluster_by] if cluster_by and target.type == 'bigquery' else none),
        'pre_hook': "{{ features_delete_recomputed_rows(ref('int_pitcher_games_unioned')) }}",
    }) }}
{%- endmacro %}

{#- Select body of a model's last CTE: every column of `cte` and its `inputs_loaded_at` (the newest load
    of the spine rows dated on or before its game_date, features_input_loads). -#}
{% macro features_with_inputs_loaded_at(cte, spine_relation) -%}
    select
        {{ cte }}.*,
        input_loads.inputs_loaded_at

    from {{ cte }}
    left join (
        {{ features_input_loads(spine_relation) }}
    ) as input_loads
        on {{ cte }}.game_date = input_loads.game_date
{%- endmacro %}
