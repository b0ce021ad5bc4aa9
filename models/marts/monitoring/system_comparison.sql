{#- Per pitcher and date, every system side by side (prediction, recommendation, confidence, error) and
    their differences.  The columns name
    each system, so the list is spelled out here. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

pivoted as (

    select
        game_date,
        pitcher_lookup,
        max(pitcher_id) as pitcher_id,
        max(pitcher_name) as pitcher_name,
        max(team) as team,
        max(opponent) as opponent,
        max(strikeouts_line) as strikeouts_line,
        max(actual_strikeouts) as actual_strikeouts,
        max(case when is_graded then 1 else 0 end) = 1 as is_graded,
        count(*) as n_systems,
        max(case when system_id = 'v1_baseline' then predicted_strikeouts end) as v1_baseline_predicted,
        max(case when system_id = 'v1_baseline' then recommendation end) as v1_baseline_recommendation,
        max(case when system_id = 'v1_baseline' then confidence end) as v1_baseline_confidence,
        max(case when system_id = 'v1_baseline' then result end) as v1_baseline_result,
        max(case when system_id = 'v1_baseline' then absolute_error end) as v1_baseline_absolute_error,
        max(case when system_id = 'v1_6_rolling' then predicted_strikeouts end) as v1_6_rolling_predicted,
        max(case when system_id = 'v1_6_rolling' then recommendation end) as v1_6_rolling_recommendation,
        max(case when system_id = 'v1_6_rolling' then confidence end) as v1_6_rolling_confidence,
        max(case when system_id = 'v1_6_rolling' then result end) as v1_6_rolling_result,
        max(case when system_id = 'v1_6_rolling' then absolute_error end) as v1_6_rolling_absolute_error,
        max(case when system_id = 'ensemble_v1' then predicted_strikeouts end) as ensemble_v1_predicted,
        max(case when system_id = 'ensemble_v1' then recommendation end) as ensemble_v1_recommendation,
        max(case when system_id = 'ensemble_v1' then confidence end) as ensemble_v1_confidence,
        max(case when system_id = 'ensemble_v1' then result end) as ensemble_v1_result,
        max(case when system_id = 'ensemble_v1' then absolute_error end) as ensemble_v1_absolute_error

    from predictions
    group by 1, 2

),

compared as (

    select
        pivoted.*,
        pivoted.v1_6_rolling_predicted - pivoted.v1_baseline_predicted as v1_6_minus_v1_baseline,
        pivoted.ensemble_v1_predicted - pivoted.v1_baseline_predicted as ensemble_minus_v1_baseline,
        pivoted.ensemble_v1_predicted - pivoted.v1_6_rolling_predicted as ensemble_minus_v1_6_rolling,
        abs(pivoted.v1_6_rolling_predicted - pivoted.v1_baseline_predicted) as component_spread,
        pivoted.v1_baseline_recommendation = pivoted.v1_6_rolling_recommendation
        and pivoted.v1_baseline_recommendation = pivoted.ensemble_v1_recommendation as is_same_recommendation

    from pivoted

)

select * from compared
