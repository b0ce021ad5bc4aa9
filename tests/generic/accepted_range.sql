{#- Rows where column_name is outside [min_value, max_value] (either bound optional). -#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true, where=none) %}

with

checked as (

    select {{ column_name }} as value
    from {{ model }}
    where {{ column_name }} is not null
    {% if where %} and ({{ where }}){% endif %}

)

select *
from checked
where
    false
    {%- if min_value is not none %}
        or value {{ '<' if inclusive else '<=' }} {{ min_value }}
    {%- endif %}
    {%- if max_value is not none %}
        or value {{ '>' if inclusive else '>=' }} {{ max_value }}
    {%- endif %}

{% endtest %}
