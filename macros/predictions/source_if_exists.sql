{#- `select * from source(...)` when the table exists, else an empty relation typed from the columns the
    source declares in its YAML (`data_type`: string, int64, float64, bool, date, timestamp — the same
    contract python_models/warehouse/tables.py writes; tests/python/test_contracts.py keeps them equal).
    The scorer's landing table and the model registry only appear once the Python side has written them,
    and the legacy table only exists where production had it: a fresh warehouse must still build (and its
    gates then say "empty" instead of crashing). The source() call is always made, so the lineage is the
    same either way. Offline BigQuery compiles (target bigquery_offline) never ask the warehouse: the
    table is assumed to exist. -#}
{% macro source_if_exists(source_name, table_name) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- set exists = true -%}
    {%- if execute and target.name != 'bigquery_offline' -%}
        {%- set found = adapter.get_relation(
            database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
        {%- set exists = found is not none -%}
    {%- endif -%}
    {%- if exists -%}
        select * from {{ relation }}
    {%- else -%}
        {%- set node = graph.sources.values() | selectattr('source_name', 'equalto', source_name)
            | selectattr('name', 'equalto', table_name) | first -%}
        {%- set columns = node.columns.values() | list -%}
        {%- if columns | length == 0 -%}
            {{ exceptions.raise_compiler_error('source ' ~ source_name ~ '.' ~ table_name
                ~ ' declares no columns: source_if_exists types its empty fallback from them') }}
        {%- endif -%}
        select
        {%- for column in columns %}
            cast(null as {{ portable_type(column.data_type) }}) as {{ column.name }}{{ ',' if not loop.last }}
        {%- endfor %}
        from (select 1 as one) as empty_source
        where 1 = 0
    {%- endif -%}
{%- endmacro %}
