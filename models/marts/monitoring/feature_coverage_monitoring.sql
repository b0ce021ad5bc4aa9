{#- Per game date and system: predictions, feature coverage (average, minimum), and how many fell below
    var('low_coverage_threshold_pct'). Rows without a recorded coverage (legacy) are counted apart. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

aggregated as (

    select
        game_date,
        system_id,
        count(*) as n_predictions,
        count(feature_coverage_pct) as n_with_coverage,
        avg(feature_coverage_pct) as avg_feature_coverage_pct,
        min(feature_coverage_pct) as min_feature_coverage_pct,
        sum(
            case when feature_coverage_pct < {{ var('low_coverage_threshold_pct') }} then 1 else 0 end
        ) as n_low_coverage

    from predictions
    group by 1, 2

),

final as (

    select
        game_date,
        system_id,
        n_predictions,
        n_with_coverage,
        n_low_coverage,
        avg_feature_coverage_pct,
        min_feature_coverage_pct,
        1.0 * n_low_coverage / nullif(n_with_coverage, 0) as share_low_coverage

    from aggregated

)

select * from final
