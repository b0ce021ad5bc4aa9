{#- `<alias>.<column>` when the source table has the column, else a typed NULL. A column added to a raw
    table after it was created (the loaders add it on their next write: Warehouse.ensure_table) must not
    break the staging view of a warehouse that has not loaded since. Offline BigQuery compiles (target
    bigquery_offline) never ask the warehouse: the column is assumed to exist. -#}
{% macro column_or_null(source_name, table_name, column, portable, alias='source') -%}
    {%- set present = true -%}
    {%- if execute and target.name != 'bigquery_offline' -%}
        {%- set relation = source(source_name, table_name) -%}
        {%- set names = adapter.get_columns_in_relation(relation) | map(attribute='name') | map('lower') | list -%}
        {%- set present = column | lower in names -%}
    {%- endif -%}
    {%- if present -%}
        {{ alias }}.{{ column }}
    {%- else -%}
        cast(null as {{ portable_type(portable) }})
    {%- endif -%}
{%- endmacro %}
