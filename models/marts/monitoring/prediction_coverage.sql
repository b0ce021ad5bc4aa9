{#- Per game date and active system (var('active_systems'), passed by the runner): the current starters
    (the feature store's starter of each team-game: the actual starter once the game is played, else the
    latest announcement) that the system was expected to predict — those with feature_coverage_pct >=
    var('expected_min_feature_coverage_pct') — against those it has a LIVE prediction for, the coverage %,
    the missing pitchers by name, and the data-loss rate per day, over a trailing 7 days and cumulatively.
    A team-game whose current starter has no live prediction from an active system is a loss for that
    system, whether or not a replaced starter had one; a system that failed for the whole slate reads 0%.
    Monitored dates: from the first date the scorer wrote (landing era) through as_of_date(). -#}
with

features as (

    select * from {{ ref('ml_feature_store') }}

),

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}

),

-- A game called off (postponed, suspended, cancelled) expects no live prediction: they are withdrawn.
called_off as (

    select * from {{ ref('int_games_called_off') }}

),

landing_era as (

    select min(game_date) as first_landing_date
    from predictions
    where prediction_source = 'landing'

),

active_systems as (

    {{ system_id_rows(kzone_active_systems()) }}

),

expected as (

    select distinct
        features.game_date,
        features.game_id,
        features.team,
        features.pitcher_id,
        features.pitcher_name,
        active_systems.system_id

    from features
    inner join landing_era
        on features.game_date >= landing_era.first_landing_date
    cross join active_systems
    left join called_off
        on features.game_id = called_off.game_id
    where
        features.game_date <= {{ as_of_date() }}
        and called_off.game_id is null
        and coalesce(features.feature_coverage_pct, 0) >= {{ var('expected_min_feature_coverage_pct') }}

),

predicted as (

    select distinct
        game_date,
        pitcher_id,
        system_id

    from predictions
    where pitcher_id is not null and prediction_status = 'live'

),

matched as (

    select
        expected.game_date,
        expected.system_id,
        expected.pitcher_name,
        predicted.pitcher_id is not null as is_predicted

    from expected
    left join predicted
        on
            expected.game_date = predicted.game_date
            and expected.pitcher_id = predicted.pitcher_id
            and expected.system_id = predicted.system_id

),

per_date as (

    select
        game_date,
        system_id,
        count(*) as n_expected,
        cast(sum(case when is_predicted then 1 else 0 end) as {{ type_int64() }}) as n_predicted,
        cast(sum(case when is_predicted then 0 else 1 end) as {{ type_int64() }}) as n_missing,
        string_agg(case when not is_predicted then pitcher_name end, ', ' order by pitcher_name) as missing_pitchers

    from matched
    group by 1, 2

),

final as (

    select
        game_date,
        system_id,
        missing_pitchers,
        n_expected,
        n_predicted,
        n_missing,
        100.0 * n_predicted / n_expected as coverage_pct,
        1.0 * n_missing / n_expected as data_loss_rate,
        1.0 * sum(n_missing)
            over (
                partition by system_id order by game_date rows between 6 preceding and current row
            )
        / sum(n_expected) over (
            partition by system_id order by game_date rows between 6 preceding and current row
        ) as data_loss_rate_7d,
        1.0 * sum(n_missing)
            over (
                partition by system_id order by game_date rows between unbounded preceding and current row
            )
        / sum(n_expected) over (
            partition by system_id order by game_date rows between unbounded preceding and current row
        ) as data_loss_rate_cumulative

    from per_date

)

select * from final
