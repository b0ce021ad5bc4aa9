{#- The newest of several nullable dates, NULL only when all are NULL. Portable: BigQuery's greatest()
    returns NULL as soon as one argument is NULL, so each argument is coalesced with the others first. -#}
{% macro features_newest_date(columns) -%}
    {%- if columns | length == 1 -%}
        {{ columns[0] }}
    {%- else -%}
        greatest(
            {%- for column in columns %}
                coalesce({{ column }}, {{ (columns | reject('equalto', column) | list) | join(', ') }})
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        )
    {%- endif -%}
{%- endmacro %}

