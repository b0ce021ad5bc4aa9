{#- Entry point: `dbt run-operation run_migrations` (the Python runner runs it, after the seeds it reads,
    before `dbt build`: kzone build, the daily job, the demo; python_models.jobs.dbt_ops.migrate).
    Ordered, idempotent, each recorded once in ops.schema_migrations:
      M001 add system_id (string, nullable) to the legacy table, with its description
      M002 backfill system_id from model_version (seed + model registry); an unknown version stops here,
           listing the offending values, and nothing is written or recorded
      M003 add feature_coverage_pct (float, nullable), with its description
    Does nothing at parse time (execute false) and never touches a database for the offline BigQuery
    compile (target bigquery_offline). -#}
{% macro run_migrations(commit=true) -%}
    {%- if not execute or target.name == 'bigquery_offline' -%}
        {{ return('') }}
    {%- endif -%}
    {%- set legacy = legacy_predictions_relation() -%}
    {%- if legacy is none -%}
        {{ log('migrations: no legacy table ' ~ source('legacy', 'pitcher_strikeouts_legacy') ~ ' here; nothing to migrate', info=true) }}
        {{ return('') }}
    {%- endif -%}
    {%- do ensure_migrations_log() -%}
    {%- set done = applied_migrations() -%}
    {%- for migration in kzone_migrations() -%}
        {%- if migration.id in done -%}
            {{ log('migration ' ~ migration.id ~ ' already applied; skipped', info=false) }}
        {%- else -%}
            {%- if migration.id == 'M001_add_system_id' -%}
                {%- set rows = migration_m001_add_system_id(legacy) -%}
            {%- elif migration.id == 'M002_backfill_system_id' -%}
                {%- set rows = migration_m002_backfill_system_id(legacy) -%}
            {%- elif migration.id == 'M003_add_feature_coverage_pct' -%}
                {%- set rows = migration_m003_add_feature_coverage_pct(legacy) -%}
            {%- endif -%}
            {%- do record_migration(migration.id, migration.description, rows) -%}
            {%- if commit -%}{%- do migrations_commit() -%}{%- endif -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return('') }}
{%- endmacro %}

{#- The ordered list of migrations. Append only: never renumber or edit an applied migration. -#}
{% macro kzone_migrations() -%}
    {{ return([
        {'id': 'M001_add_system_id', 'description': 'add system_id (string, nullable) to the legacy predictions table'},
        {'id': 'M002_backfill_system_id', 'description': 'backfill system_id from model_version (seed model_version_systems + model registry)'},
        {'id': 'M003_add_feature_coverage_pct', 'description': 'add feature_coverage_pct (float, nullable) to the legacy predictions table'},
    ]) }}
{%- endmacro %}

{% macro migration_m001_add_system_id(legacy) -%}
    {%- do migration_add_column(legacy, 'system_id', 'string',
        'Prediction system (a key of vars.systems). Nullable for backward compatibility; '
        ~ 'backfilled from model_version by migration M002.') -%}
    {{ return(migration_scalar('select count(*) from ' ~ legacy)) }}
{%- endmacro %}

{% macro migration_m002_backfill_system_id(legacy) -%}
    {%- set mapping_sql = model_version_mapping_sql() -%}
    {%- set unknown = run_query(
        'select legacy.model_version, count(*) as n_rows from ' ~ legacy ~ ' as legacy'
        ~ ' left join (' ~ mapping_sql ~ ') as mapping on legacy.model_version = mapping.model_version'
        ~ ' where legacy.system_id is null and mapping.system_id is null'
        ~ ' group by legacy.model_version order by legacy.model_version') -%}
    {%- if unknown.rows | length > 0 -%}
        {%- set listed = [] -%}
        {%- for row in unknown.rows -%}
            {%- do listed.append(row[0] ~ ' (' ~ row[1] ~ ' rows)') -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            'migration M002_backfill_system_id stopped: unknown model_version(s) in ' ~ legacy ~ ': '
            ~ listed | join(', ') ~ '. Map them in seeds/model_version_systems.csv (or register them in '
            ~ 'scoring.model_registry) and run the migrations again; nothing was written.') }}
    {%- endif -%}
    {%- set pending = migration_scalar('select count(*) from ' ~ legacy ~ ' where system_id is null') -%}
    {%- do migration_backfill_system_id(legacy, mapping_sql) -%}
    {%- set left_null = migration_scalar('select count(*) from ' ~ legacy ~ ' where system_id is null') -%}
    {%- if left_null | int > 0 -%}
        {{ exceptions.raise_compiler_error('migration M002_backfill_system_id left ' ~ left_null
            ~ ' rows without system_id in ' ~ legacy) }}
    {%- endif -%}
    {{ return(pending) }}
{%- endmacro %}

{% macro migration_m003_add_feature_coverage_pct(legacy) -%}
    {%- do migration_add_column(legacy, 'feature_coverage_pct', 'float64',
        'Share (0-100) of the system\'s features that were available for the prediction. NULL for rows '
        ~ 'written before the feature store tracked it (all legacy rows).') -%}
    {{ return(migration_scalar('select count(*) from ' ~ legacy)) }}
{%- endmacro %}
