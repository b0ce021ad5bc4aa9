{#- Per game date: how far the ensemble's two components are apart per pitcher (system_comparison's
    component_spread), the share of pitchers where they agree strongly (spread < var agreement_strong_k),
    moderately (between the two thresholds, inclusive) or disagree (> var agreement_disagree_k), and
    whether agreement goes with accuracy (the ensemble's MAE on strong-agreement pitchers vs the rest).
    Only pitcher-days with both components (a spread; landing era). -#}

with

comparison as (

    select * from {{ ref('system_comparison') }}
    where component_spread is not null

),

classified as (

    select
        game_date,
        pitcher_id,
        component_spread,
        ensemble_absolute_error,
        {{ agreement_level('component_spread') }} as agreement_level

    from comparison

),

per_date as (

    select
        game_date,
        count(*) as n_pitchers_compared,
        avg(component_spread) as avg_component_spread,
        cast(sum(case when agreement_level = 'strong' then 1 else 0 end) as {{ type_int64() }}) as n_strong,
        cast(sum(case when agreement_level = 'moderate' then 1 else 0 end) as {{ type_int64() }}) as n_moderate,
        cast(sum(case when agreement_level = 'disagree' then 1 else 0 end) as {{ type_int64() }}) as n_disagree,
        avg(case when agreement_level = 'strong' then ensemble_absolute_error end) as ensemble_mae_strong,
        avg(case when agreement_level != 'strong' then ensemble_absolute_error end) as ensemble_mae_not_strong,
        cast(sum(case when ensemble_absolute_error is not null then 1 else 0 end) as {{ type_int64() }}) as n_graded

    from classified
    group by 1

),

final as (

    select
        game_date,
        n_pitchers_compared,
        n_strong,
        n_moderate,
        n_disagree,
        n_graded,
        avg_component_spread,
        1.0 * n_strong / n_pitchers_compared as share_strong,
        1.0 * n_moderate / n_pitchers_compared as share_moderate,
        1.0 * n_disagree / n_pitchers_compared as share_disagree,
        ensemble_mae_strong,
        ensemble_mae_not_strong,
        case
            when ensemble_mae_strong is null or ensemble_mae_not_strong is null then null
            else ensemble_mae_strong <= ensemble_mae_not_strong
        end as is_agreement_more_accurate

    from per_date

)

select * from final
