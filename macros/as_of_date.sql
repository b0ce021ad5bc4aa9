{#- The "today" of the monitoring views: var('as_of_date') when set (the historical demo sets it),
    else the warehouse's current date. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', '') -%}
    {%- if value -%}
        cast('{{ value }}' as date)
    {%- else -%}
        current_date
    {%- endif -%}
{%- endmacro %}
