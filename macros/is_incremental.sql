{#- dbt's is_incremental(), plus an offline switch for `make bq-compile` (python_models/dbt/bq_offline.py).
    With var('offline_is_incremental') set (true/false) it returns that value and never asks the
    warehouse whether the table exists: compiling for BigQuery without credentials would otherwise hang
    retrying the API. Unset (every real run), it is dbt's own macro, unchanged. A dbt unit test has no
    target relation (`this` is none): it tests the full-build path, unless it overrides is_incremental. -#}
{% macro is_incremental() %}
    {%- set offline = var('offline_is_incremental', none) -%}
    {%- if this is none -%}
        {{ return(false) }}
    {%- elif offline is none -%}
        {{ return(dbt.is_incremental()) }}
    {%- elif offline is string -%}
        {{ return(offline | lower in ('true', '1', 'yes')) }}
    {%- else -%}
        {{ return(offline | as_bool) }}
    {%- endif -%}
{% endmacro %}
