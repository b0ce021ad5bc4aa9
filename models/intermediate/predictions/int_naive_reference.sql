{#- The naive reference every system is measured against, one definition for dbt, the report and
    `kzone evaluate`: per pitcher and game date, what a fan would guess before first pitch — his
    season-to-date strikeouts per start; before his first start of the season, his previous season's;
    without one, his career rate; for a debut, the league's strikeouts per start over every earlier date.
    Point in time: each tier reads only games before the row's date (the feature store's windows, and a
    league mean over dates strictly earlier). -#}
with

features as (

    select * from {{ ref('ml_feature_store') }}

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

league_days as (

    select
        game_date,
        sum(strikeouts) as strikeouts,
        count(*) as starts

    from starts
    group by 1

),

feature_dates as (

    select distinct game_date
    from features

),

league_to_date as (

    select
        feature_dates.game_date,
        {{ features_safe_divide('sum(league_days.strikeouts)', 'sum(league_days.starts)') }}
            as league_k_per_start,
        max(league_days.game_date) as league_last_input_date

    from feature_dates
    left join league_days
        on feature_dates.game_date > league_days.game_date
    group by 1

),

reference as (

    select
        features.game_date,
        features.pitcher_id,
        coalesce(
            features.season_k_per_start,
            features.prior_season_k_per_start,
            features.career_k_per_start,
            league_to_date.league_k_per_start
        ) as reference_strikeouts,
        case
            when features.season_k_per_start is not null then 'season_to_date'
            when features.prior_season_k_per_start is not null then 'prior_season'
            when features.career_k_per_start is not null then 'career'
            when league_to_date.league_k_per_start is not null then 'league'
        end as reference_tier,
        league_to_date.league_last_input_date

    from features
    left join league_to_date
        on features.game_date = league_to_date.game_date

)

select * from reference
