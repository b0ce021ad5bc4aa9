{#- Per game date and system: live predictions, feature coverage (average, minimum), how many fell below
    var('low_coverage_threshold_pct'), and how far into its season the date is (the first days of a season
    every pitcher's season-to-date features are empty). Rows without a recorded coverage (legacy) are
    counted apart. -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where prediction_status = 'live'

),

season_starts as (

    select
        season,
        min(game_date) as season_first_date

    from predictions
    group by 1

),

aggregated as (

    select
        predictions.game_date,
        predictions.system_id,
        max(season_starts.season_first_date) as season_first_date,
        count(*) as n_predictions,
        count(predictions.feature_coverage_pct) as n_with_coverage,
        avg(predictions.feature_coverage_pct) as avg_feature_coverage_pct,
        min(predictions.feature_coverage_pct) as min_feature_coverage_pct,
        cast(sum(
            case
                when predictions.feature_coverage_pct < {{ var('low_coverage_threshold_pct') }} then 1 else 0
            end
        ) as {{ type_int64() }}) as n_low_coverage

    from predictions
    inner join season_starts
        on predictions.season = season_starts.season
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
        1.0 * n_low_coverage / nullif(n_with_coverage, 0) as share_low_coverage,
        {{ dbt.datediff('season_first_date', 'game_date', 'day') }} as days_into_season

    from aggregated

)

select * from final
