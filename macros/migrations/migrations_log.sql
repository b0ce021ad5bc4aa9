{#- The migrations log: ops.schema_migrations, one row per applied migration (id, description,
    applied_at, rows_affected). A migration recorded here is never run again. -#}
{% macro migrations_log_relation() -%}
    {%- set schema = env_var('KZONE_DATASET_PREFIX', '') ~ 'ops' -%}
    {{ return(api.Relation.create(database=target.database, schema=schema, identifier='schema_migrations')) }}
{%- endmacro %}

{% macro ensure_migrations_log() -%}
    {%- set log_relation = migrations_log_relation() -%}
    {%- do adapter.create_schema(api.Relation.create(database=log_relation.database, schema=log_relation.schema)) -%}
    {%- call statement('create_migrations_log') -%}
        create table if not exists {{ log_relation }} (
            migration_id {{ dbt.type_string() }},
            description {{ dbt.type_string() }},
            applied_at {{ dbt.type_timestamp() }},
            rows_affected {{ type_int64() }}
        )
    {%- endcall -%}
    {{ return(log_relation) }}
{%- endmacro %}

{% macro applied_migrations() -%}
    {%- set result = run_query('select migration_id from ' ~ migrations_log_relation()) -%}
    {{ return(result.columns[0].values() | list) }}
{%- endmacro %}

{% macro record_migration(migration_id, description, rows_affected) -%}
    {%- call statement('record_migration') -%}
        insert into {{ migrations_log_relation() }} (migration_id, description, applied_at, rows_affected)
        values ('{{ migration_id }}', '{{ description | replace("'", "") }}', {{ dbt.current_timestamp() }},
            {{ rows_affected | int }})
    {%- endcall -%}
    {{ log('migration ' ~ migration_id ~ ' applied: ' ~ description ~ ' (' ~ rows_affected ~ ' rows)', info=true) }}
{%- endmacro %}

{#- The legacy table as a relation, or none when this warehouse never had one. -#}
{% macro legacy_predictions_relation() -%}
    {%- set relation = source('legacy', 'pitcher_strikeouts_legacy') -%}
    {{ return(adapter.get_relation(database=relation.database, schema=relation.schema,
        identifier=relation.identifier)) }}
{%- endmacro %}

{% macro migration_scalar(sql) -%}
    {%- set result = run_query(sql) -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{#- `dbt run-operation` does not commit on its own (DuckDB rolls the migration back at exit), so
    run_migrations commits after each migration (commit=false leaves it to a caller that commits). -#}
{% macro migrations_commit() -%}
    {%- do adapter.commit() -%}
{%- endmacro %}

{#- Called where stg_legacy__predictions compiles: a legacy table the migrations have not reached stops the
    build with what to run, instead of a "column not found" (the migrations are an explicit step, never a
    side effect of building a view). -#}
{% macro assert_legacy_migrated() -%}
    {%- if execute and target.name != 'bigquery_offline' -%}
        {%- set legacy = legacy_predictions_relation() -%}
        {%- if legacy is not none -%}
            {%- set present = adapter.get_columns_in_relation(legacy) | map(attribute='name') | map('lower') | list -%}
            {%- set missing = ['system_id', 'feature_coverage_pct'] | reject('in', present) | list -%}
            {%- if missing -%}
                {{ exceptions.raise_compiler_error(legacy ~ ' is not migrated (no ' ~ missing | join(', ')
                    ~ '): run the migrations first: dbt seed, then dbt run-operation run_migrations'
                    ~ ' (kzone build and kzone daily run both before building)') }}
            {%- endif -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
