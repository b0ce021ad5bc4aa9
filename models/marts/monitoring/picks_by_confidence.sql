{#- Do confident picks win more often? Per system, over all time and per season: decided picks (win or loss)
    by confidence band, with the hit rate and its 95% Wilson interval (at -110 the break-even is 0.524). -#}
{%- set edges = [0, 50, 55, 60, 65, 70, 80, 101] -%}

with

picks as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where result in ('win', 'loss') and confidence is not null

),

periods as (

    select
        'all' as period_grain,
        'all' as period_label,
        picks.*
    from picks
    union all
    select
        'season' as period_grain,
        cast(picks.season as {{ dbt.type_string() }}) as period_label,
        picks.*
    from picks

),

banded as (

    select
        system_id,
        period_grain,
        period_label,
        result,
        case
            {%- for low in edges[:-1] %}
                {%- set high = edges[loop.index] %}
                when confidence < {{ high }} then '{{ "%02d" | format(low) }}-{{ [high, 100] | min }}'
            {%- endfor %}
        end as confidence_band

    from periods

),

aggregated as (

    select
        system_id,
        period_grain,
        period_label,
        confidence_band,
        count(*) as n_decided_picks,
        cast(sum(case when result = 'win' then 1 else 0 end) as {{ type_int64() }}) as n_wins

    from banded
    group by 1, 2, 3, 4

),

final as (

    select
        system_id,
        period_grain,
        period_label,
        confidence_band,
        n_decided_picks,
        n_wins,
        1.0 * n_wins / n_decided_picks as hit_rate,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'lower') }} as hit_rate_ci_low,
        {{ wilson_interval('n_wins', 'n_decided_picks', 'upper') }} as hit_rate_ci_high

    from aggregated

)

select * from final
