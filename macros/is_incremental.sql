{#- dbt's is_incremental(), plus an offline switch for `make bq-compile` (python_models/dbt/bq_offline.py).
    With var('offline_is_incremental') set (true/false) it returns that value and never asks the
    warehouse whether the table exists: compiling for BigQuery without credentials would otherwise hang
    retrying the API. Unset (every real run), it is dbt's own macro, unchanged. -#}
{% macro is_incremental() %}
    {%- set offline = var('offline_is_incremental', none) -%}
    {%- if offline is none -%}
        {{ return(dbt.is_incremental()) }}
    {%- elif offline is string -%}
        {{ return(offline | lower in ('true', '1', 'yes')) }}
    {%- else -%}
        {{ return(offline | as_bool) }}
    {%- endif -%}
{% endmacro %}
