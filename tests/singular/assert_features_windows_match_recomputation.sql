{#- An independent oracle for the window functions: recompute, with plain joins on game_date < the row's
    date, the pitcher's start count, last-3 and last-10 strikeout means, season strikeouts per start, and
    the opponent's 60-day K/BF, and fail on every feature-store row that disagrees. A frame ending at
    `current row` (or a join on <=) would read the row's own game and fail here. -#}
{%- set window_days = var('opponent_window_days') | int -%}
{%- set tolerance = 0.000001 -%}

with

store as (

    select * from {{ ref('ml_feature_store') }}

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

earlier_starts as (

    select
        store.feature_row_id,
        starts.season,
        starts.strikeouts,
        row_number() over (
            partition by store.feature_row_id
            order by starts.game_date desc
        ) as recency_rank,
        starts.season = store.season as is_same_season

    from store
    inner join starts
        on
            store.pitcher_id = starts.pitcher_id
            and store.game_date > starts.game_date

),

pitcher_recomputed as (

    select
        feature_row_id,
        count(*) as career_starts_before,
        avg(case when recency_rank <= 3 then strikeouts end) as k_last_3,
        avg(case when recency_rank <= 10 then strikeouts end) as k_last_10,
        avg(case when is_same_season then strikeouts end) as season_k_per_start

    from earlier_starts
    group by 1

),

opponent_recomputed as (

    select
        store.feature_row_id,
        {{ features_safe_divide('sum(starts.strikeouts)', 'sum(starts.batters_faced)') }} as opp_k_per_bf

    from store
    inner join starts
        on
            store.opponent = starts.opponent
            and store.game_date > starts.game_date
            and cast({{ dbt.dateadd('day', -1 * window_days, 'store.game_date') }} as date) <= starts.game_date
    group by 1

),

compared as (

    select
        store.feature_row_id,
        store.game_date,
        store.pitcher_id,
        store.career_starts_before != coalesce(pitcher_recomputed.career_starts_before, 0) as is_count_wrong,
        coalesce(
            abs(store.k_last_3 - pitcher_recomputed.k_last_3) > {{ tolerance }},
            store.k_last_3 is not null or pitcher_recomputed.k_last_3 is not null
        ) as is_k_last_3_wrong,
        coalesce(
            abs(store.k_last_10 - pitcher_recomputed.k_last_10) > {{ tolerance }},
            store.k_last_10 is not null or pitcher_recomputed.k_last_10 is not null
        ) as is_k_last_10_wrong,
        coalesce(
            abs(store.season_k_per_start - pitcher_recomputed.season_k_per_start) > {{ tolerance }},
            store.season_k_per_start is not null or pitcher_recomputed.season_k_per_start is not null
        ) as is_season_wrong,
        coalesce(
            abs(store.opp_k_per_bf_{{ window_days }}d - opponent_recomputed.opp_k_per_bf) > {{ tolerance }},
            store.opp_k_per_bf_{{ window_days }}d is not null or opponent_recomputed.opp_k_per_bf is not null
        ) as is_opponent_wrong

    from store
    left join pitcher_recomputed on store.feature_row_id = pitcher_recomputed.feature_row_id
    left join opponent_recomputed on store.feature_row_id = opponent_recomputed.feature_row_id

)

select * from compared
where is_count_wrong or is_k_last_3_wrong or is_k_last_10_wrong or is_season_wrong or is_opponent_wrong
