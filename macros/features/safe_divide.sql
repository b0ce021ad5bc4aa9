{#- Portable float division that yields NULL (never an error, never a fake 0) when the denominator is 0. -#}
{% macro features_safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ features_type_double() }})
    / nullif(cast({{ denominator }} as {{ features_type_double() }}), 0)
{%- endmacro %}

{#- A 64-bit float type: BigQuery float64 (= dbt.type_float() there), DuckDB double. dbt.type_float()
    renders `float` on DuckDB, which is 32-bit (REAL) there: rates would lose precision and differ from
    BigQuery. A type name, not an expression, so it branches on target.type instead of adapter.dispatch
    (the lint templater renders dispatched macros as function calls, invalid in a type position). -#}
{% macro features_type_double() -%}
    {{ dbt.type_float() if target.type == 'bigquery' else 'double' }}
{%- endmacro %}
