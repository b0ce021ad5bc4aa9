{#- Rows where the boolean expression is not true (optionally only rows matching `where`). -#}
{% test expression_is_true(model, expression, column_name=none, where=none) %}

select *
from {{ model }}
where
    not coalesce(({{ expression }}), false)
    {% if where %} and ({{ where }}){% endif %}

{% endtest %}
