{#- DDL that differs between engines, dispatched (default = DuckDB). Both engines accept
    `alter table ... add column if not exists`; descriptions differ: DuckDB `comment on column`,
    BigQuery `options(description=...)`. -#}
{% macro migration_add_column(relation, column_name, portable_type, description) -%}
    {{ return(adapter.dispatch('migration_add_column', 'kzone')(relation, column_name, portable_type, description)) }}
{%- endmacro %}

{% macro default__migration_add_column(relation, column_name, portable_type, description) -%}
    {%- set types = {'string': 'varchar', 'float64': 'double', 'int64': 'bigint'} -%}
    {%- call statement('add_column') -%}
        alter table {{ relation }} add column if not exists {{ column_name }} {{ types[portable_type] }}
    {%- endcall -%}
    {%- call statement('describe_column') -%}
        comment on column {{ relation }}.{{ column_name }} is '{{ description | replace("'", "''") }}'
    {%- endcall -%}
{%- endmacro %}

{% macro bigquery__migration_add_column(relation, column_name, portable_type, description) -%}
    {%- call statement('add_column') -%}
        alter table {{ relation }} add column if not exists {{ column_name }} {{ portable_type }}
            options (description = '''{{ description | replace("'", "") }}''')
    {%- endcall -%}
{%- endmacro %}

{#- The backfill UPDATE: the same text on both engines (BigQuery requires the WHERE clause, which the
    join condition provides); dispatched so an engine can diverge without touching the migration. -#}
{% macro migration_backfill_system_id(relation, mapping_sql) -%}
    {{ return(adapter.dispatch('migration_backfill_system_id', 'kzone')(relation, mapping_sql)) }}
{%- endmacro %}

{% macro default__migration_backfill_system_id(relation, mapping_sql) -%}
    {%- call statement('backfill_system_id') -%}
        update {{ relation }} as legacy
        set system_id = mapping.system_id
        from ({{ mapping_sql }}) as mapping
        where legacy.model_version = mapping.model_version and legacy.system_id is null
    {%- endcall -%}
{%- endmacro %}
