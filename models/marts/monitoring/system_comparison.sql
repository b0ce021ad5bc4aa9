{#- Per pitcher and date, every system side by side (prediction, recommendation, confidence, result,
    error) and their differences. One block of columns per system in var('systems'), so a new system
    appears here without editing this model. -#}
{%- set systems = kzone_system_ids() -%}
{%- set components = kzone_ensemble()['components'] -%}

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
        pivoted.v1_6_rolling_predicted - pivoted.v1_baseline_predicted as v1_6_minus_v1_baseline,
        pivoted.ensemble_v1_predicted - pivoted.v1_baseline_predicted as ensemble_minus_v1_baseline,
        pivoted.ensemble_v1_predicted - pivoted.v1_6_rolling_predicted as ensemble_minus_v1_6_rolling,
        abs(pivoted.{{ components[1] }}_predicted - pivoted.{{ components[0] }}_predicted) as component_spread,
        pivoted.v1_baseline_recommendation = pivoted.v1_6_rolling_recommendation
        and pivoted.v1_baseline_recommendation = pivoted.ensemble_v1_recommendation as is_same_recommendation

    from pivoted

)

select * from compared
