{#- `dbt run-operation verify_migrations`: prints what operators check after a migration — the
    migrations log, rows per system_id with their date ranges, and the NULL / unknown system_id counts —
    and fails when any row has no system_id or one outside var('systems'). -#}
{% macro verify_migrations() -%}
    {%- if not execute or target.name == 'bigquery_offline' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set legacy = legacy_predictions_relation() -%}
    {%- if legacy is none -%}
        {{ log('verify_migrations: no legacy table here; nothing to verify', info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- set log_relation = ensure_migrations_log() -%}
    {%- set applied = run_query('select migration_id, applied_at, rows_affected from ' ~ log_relation
        ~ ' order by migration_id') -%}
    {{ log('migrations log ' ~ log_relation ~ ':', info=true) }}
    {%- for row in applied.rows %}
        {{ log('  ' ~ row[0] ~ '  applied_at=' ~ row[1] ~ '  rows_affected=' ~ row[2], info=true) }}
    {%- endfor %}
    {%- set columns = adapter.get_columns_in_relation(legacy) | map(attribute='name') | map('lower') | list -%}
    {%- if 'system_id' not in columns -%}
        {{ exceptions.raise_compiler_error('verify_migrations: ' ~ legacy ~ ' has no system_id column: run `dbt run-operation run_migrations`') }}
    {%- endif -%}
    {%- set accepted = "'" ~ kzone_system_ids() | join("', '") ~ "'" -%}
    {%- set distribution = run_query(
        'select coalesce(system_id, \'<NULL>\') as system_id, count(*) as n_rows, min(game_date) as first_date,'
        ~ ' max(game_date) as last_date from ' ~ legacy ~ ' group by 1 order by 1') -%}
    {{ log('rows per system_id in ' ~ legacy ~ ':', info=true) }}
    {%- for row in distribution.rows %}
        {{ log('  ' ~ row[0] ~ '  rows=' ~ row[1] ~ '  ' ~ row[2] ~ ' .. ' ~ row[3], info=true) }}
    {%- endfor %}
    {%- set bad = run_query('select'
        ~ ' sum(case when system_id is null then 1 else 0 end) as n_null,'
        ~ ' sum(case when system_id is not null and system_id not in (' ~ accepted ~ ') then 1 else 0 end) as n_unknown,'
        ~ ' count(*) as n_rows from ' ~ legacy) -%}
    {%- set n_null = bad.rows[0][0] or 0 -%}
    {%- set n_unknown = bad.rows[0][1] or 0 -%}
    {{ log('NULL system_id: ' ~ n_null ~ '   unknown system_id: ' ~ n_unknown ~ '   total rows: ' ~ bad.rows[0][2], info=true) }}
    {%- if n_null | int > 0 or n_unknown | int > 0 -%}
        {{ exceptions.raise_compiler_error('verify_migrations failed: ' ~ n_null ~ ' NULL and ' ~ n_unknown
            ~ ' unknown system_id values in ' ~ legacy) }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}
