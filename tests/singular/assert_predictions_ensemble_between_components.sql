{#- Gate predictions_ensemble_between_components: where both components predicted a pitcher-day, the
    ensemble (a weighted average of them) lies between them. Tolerance 0.001 K: the scorer rounds
    predictions; anything larger means the blend is not an average (e.g. unnormalised weights). -#}
with

comparison as (

    select * from {{ ref('system_comparison') }}

),

outside as (

    select
        game_date,
        pitcher_lookup,
        v1_baseline_predicted,
        v1_6_rolling_predicted,
        ensemble_v1_predicted

    from comparison
    where
        v1_baseline_predicted is not null
        and v1_6_rolling_predicted is not null
        and ensemble_v1_predicted is not null
        and (
            ensemble_v1_predicted
            < least(v1_baseline_predicted, v1_6_rolling_predicted) - 0.001
            or ensemble_v1_predicted
            > greatest(v1_baseline_predicted, v1_6_rolling_predicted) + 0.001
        )

)

select * from outside
