{#- Per game date: expected starters (probable starters in the feature store with usable features:
    feature_coverage_pct >= var('expected_min_feature_coverage_pct')) vs those with at least one
    prediction, coverage %, the missing pitchers by name, and the data-loss rate (missing / expected) per
    day, over a trailing 7 days and cumulatively. Monitored dates: from the first date the scorer wrote
    (landing era) through as_of_date(); a monitored day without any prediction is 0% coverage. -#}
with

features as (

    select * from {{ ref('ml_feature_store') }}

),

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

landing_era as (

    select min(game_date) as first_landing_date
    from predictions
    where prediction_source = 'landing'

),

expected as (

    select distinct
        features.game_date,
        features.pitcher_id,
        features.pitcher_name

    from features
    inner join landing_era
        on features.game_date >= landing_era.first_landing_date
    where
        features.game_date <= {{ as_of_date() }}
        and coalesce(features.feature_coverage_pct, 0) >= {{ var('expected_min_feature_coverage_pct') }}

),

predicted as (

    select distinct
        game_date,
        pitcher_id

    from predictions
    where pitcher_id is not null

),

matched as (

    select
        expected.game_date,
        expected.pitcher_id,
        expected.pitcher_name,
        predicted.pitcher_id is not null as is_predicted

    from expected
    left join predicted
        on
            expected.game_date = predicted.game_date
            and expected.pitcher_id = predicted.pitcher_id

),

per_date as (

    select
        game_date,
        count(*) as n_expected,
        sum(case when is_predicted then 1 else 0 end) as n_predicted,
        sum(case when is_predicted then 0 else 1 end) as n_missing,
        string_agg(case when not is_predicted then pitcher_name end, ', ' order by pitcher_name) as missing_pitchers

    from matched
    group by 1

),

final as (

    select
        game_date,
        missing_pitchers,
        n_expected,
        n_predicted,
        n_missing,
        100.0 * n_predicted / n_expected as coverage_pct,
        1.0 * n_missing / n_expected as data_loss_rate,
        1.0 * sum(n_missing) over (order by game_date rows between 6 preceding and current row)
        / sum(n_expected) over (order by game_date rows between 6 preceding and current row)
            as data_loss_rate_7d,
        1.0 * sum(n_missing) over (order by game_date rows between unbounded preceding and current row)
        / sum(n_expected) over (order by game_date rows between unbounded preceding and current row)
            as data_loss_rate_cumulative

    from per_date

)

select * from final
