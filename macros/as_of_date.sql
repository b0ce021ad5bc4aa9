{#- The "today" of the monitoring views: var('as_of_date') when set (the historical demo sets it), else, when
    the SQL executes, env KZONE_AS_OF_DATE (on DuckDB the runner passes the day there, so the --vars JSON, and
    with it dbt's partial parse, stays the same from one day to the next; read only at execution, never at
    parse time), else the warehouse's current date. -#}
{% macro as_of_date() -%}
    {%- set value = var('as_of_date', '') or (env_var('KZONE_AS_OF_DATE', '') if execute else '') -%}
    {%- if value -%}
        cast('{{ value }}' as date)
    {%- else -%}
        current_date
    {%- endif -%}
{%- endmacro %}
