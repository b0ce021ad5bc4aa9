{#- Fails when the newest value of `field` is older than `interval` `datepart`s before the reference
    date, AND when the table is empty (max() is null): an empty table is never "recent". -#}
{% test recency(model, field, datepart, interval, reference_date=none, where=none) %}

with

newest as (

    select max({{ field }}) as newest_value
    from {{ model }}
    {% if where %}where {{ where }}{% endif %}

)

select newest_value
from newest
where
    newest_value is null
    or cast(newest_value as date)
    < {{ dbt.dateadd(datepart, -1 * interval, reference_date or 'current_date') }}

{% endtest %}
