{#- Per pitcher and date, every system side by side (prediction, recommendation, confidence, result,
    error) and their differences. One block of columns per system in var('systems'), so a new system
    appears here without editing this model. -#}
{%- set systems = kzone_system_ids() -%}
{%- set ensemble = kzone_ensemble() -%}
{%- set components = ensemble['components'] -%}
{#- The picks system comes from configuration (KZONE_PICKS_SYSTEM, passed by the runner), never a literal;
    under the lint templater (no dbt) var() is a stub, so the first placeholder system stands in. -#}
{%- set picks = var('picks_system_id') if var('systems') is mapping else systems[0] -%}
{%- set others = systems | reject('equalto', picks) | list -%}

with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

pivoted as (

    select
        game_date,
        pitcher_id,
        max(pitcher_lookup) as pitcher_lookup,
        max(pitcher_name) as pitcher_name,
        max(team) as team,
        max(opponent) as opponent,
        max(strikeouts_line) as strikeouts_line,
        max(actual_strikeouts) as actual_strikeouts,
        max(case when is_graded then 1 else 0 end) = 1 as is_graded,
        max(case when prediction_status = 'withdrawn' then 1 else 0 end) = 1 as is_withdrawn,
        count(*) as n_systems,
    {%- for system in systems %}
        max(case when system_id = '{{ system }}' then predicted_strikeouts end) as {{ system }}_predicted,
        max(case when system_id = '{{ system }}' then recommendation end) as {{ system }}_recommendation,
        max(case when system_id = '{{ system }}' then confidence end) as {{ system }}_confidence,
        max(case when system_id = '{{ system }}' then result end) as {{ system }}_result,
        max(case when system_id = '{{ system }}' then absolute_error end) as {{ system }}_absolute_error
        {{- ',' if not loop.last }}
    {%- endfor %}

    from predictions
    where pitcher_id is not null
    group by 1, 2

),

compared as (

    select
        pivoted.*,
        pivoted.{{ components[1] }}_predicted - pivoted.{{ components[0] }}_predicted as component_difference,
        pivoted.{{ ensemble['system_id'] }}_absolute_error as ensemble_absolute_error,
        '{{ picks }}' as picks_system_id,
        pivoted.{{ picks }}_predicted as picks_predicted,
        pivoted.{{ picks }}_recommendation as picks_recommendation,
        pivoted.{{ picks }}_predicted - (
            0.0
            {%- for system in others %}
                + coalesce(pivoted.{{ system }}_predicted, pivoted.{{ picks }}_predicted)
            {%- endfor %}
        ) / {{ others | length }} as picks_minus_others_mean,
        abs(pivoted.{{ components[1] }}_predicted - pivoted.{{ components[0] }}_predicted) as component_spread,
        true
        {%- for system in others %}
            and pivoted.{{ system }}_recommendation = pivoted.{{ picks }}_recommendation
        {%- endfor %} as is_same_recommendation

    from pivoted

)

select * from compared
