{#- Portable float division that yields NULL (never an error, never a fake 0) when the denominator is 0. -#}
{% macro features_safe_divide(numerator, denominator) -%}
    cast({{ numerator }} as {{ type_double() }})
    / nullif(cast({{ denominator }} as {{ type_double() }}), 0)
{%- endmacro %}
