{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- Layers map to fixed schemas/datasets (raw, staging, features, mlb_predictions, ...), the names
        production users know; KZONE_DATASET_PREFIX isolates a developer or a test run. -#}
    {%- set prefix = env_var('KZONE_DATASET_PREFIX', '') -%}
    {%- if custom_schema_name is none -%}
        {{ prefix ~ target.schema }}
    {%- else -%}
        {{ prefix ~ (custom_schema_name | trim) }}
    {%- endif -%}
{%- endmacro %}
