{#- `select * from source(...)` when the table exists, else an empty, typed relation with the given
    columns. The scorer's landing table and the model registry only appear once the Python side has
    written them, and the legacy table only exists where production had it: a fresh warehouse must still
    build (and its gates then say "empty" instead of crashing). The source() call is always made, so the
    lineage is the same either way. Offline BigQuery compiles (target bigquery_offline) never ask the
    warehouse: the table is assumed to exist.
    columns: list of "name:portable_type" (string, int64, float64, bool, date, timestamp). -#}
{% macro source_if_exists(source_name, table_name, columns) -%}
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
        select
        {%- for column in columns %}
            {%- set parts = column.split(':') %}
            cast(null as {{ portable_type(parts[1]) }}) as {{ parts[0] }}{{ ',' if not loop.last }}
        {%- endfor %}
        from (select 1 as one) as empty_source
        where 1 = 0
    {%- endif -%}
{%- endmacro %}
