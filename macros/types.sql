{#- A double-precision float on every engine. dbt.type_float() renders `float` on DuckDB, which is single
    precision (probabilities would no longer sum to 1 within 1e-6); BigQuery's FLOAT64 is double. Chosen
    by target type rather than adapter.dispatch so the offline linter renders a real type name. -#}
{% macro type_double() -%}
    {{ 'float64' if target.type == 'bigquery' else 'double' }}
{%- endmacro %}

{#- A 64-bit integer on every engine (dbt.type_int() is 32-bit `integer` on DuckDB). -#}
{% macro type_int64() -%}
    {{ 'int64' if target.type == 'bigquery' else 'bigint' }}
{%- endmacro %}

{#- The engine type of a portable type name (python_models/warehouse/base.py: PORTABLE_TYPES). -#}
{% macro portable_type(name) -%}
    {%- set types = {
        'string': dbt.type_string(), 'int64': type_int64(), 'float64': type_double(),
        'bool': dbt.type_boolean(), 'date': 'date', 'timestamp': dbt.type_timestamp()} -%}
    {{ types[name] }}
{%- endmacro %}
