{#- The calendar grains every monitoring rollup shares: each row of `rows` (a CTE or relation with season and
    month_start) once for all time, once for its season and once for its month, tagged with period_grain and
    period_label. A model appends its own grains with `union all`. -#}
{% macro calendar_periods(rows) -%}
    select
        'all' as period_grain,
        'all' as period_label,
        {{ rows }}.*
    from {{ rows }}
    union all
    select
        'season' as period_grain,
        cast({{ rows }}.season as {{ dbt.type_string() }}) as period_label,
        {{ rows }}.*
    from {{ rows }}
    union all
    select
        'month' as period_grain,
        cast({{ rows }}.month_start as {{ dbt.type_string() }}) as period_label,
        {{ rows }}.*
    from {{ rows }}
{%- endmacro %}
