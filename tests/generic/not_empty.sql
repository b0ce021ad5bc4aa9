{#- Fails when the model (optionally filtered) has no rows. -#}
{% test not_empty(model, column_name=none, where=none) %}

with

counted as (

    select count(*) as n_rows
    from {{ model }}
    {% if where %}where {{ where }}{% endif %}

)

select * from counted
where n_rows = 0

{% endtest %}
