{#- Per starter per game date: the pitcher's form from STRICTLY EARLIER starts only.

    Leakage rule: a row on date D may use only starts with game_date < D. A pitcher has at most one row
    per date (tested grain of the spine), so "rows before this one, ordered by date" is exactly "dates
    before D", and a doubleheader cannot leak: the pitcher's other rows are on other dates.

    Every frame ends at `1 preceding`. The "last N starts" frames are RANGE frames over `start_number`
    (1 + actual starts before the row): a row numbered s sees starts s-N .. s-1, exactly the last N actual
    starts, even when a pending (not yet played, or postponed) row sits in between; pending rows carry
    NULL results, so the aggregates skip them. Rolling windows follow the pitcher across seasons and
    teams; season-to-date sums restart each season. The workload trend (last 3 minus last 10 starts, batters
    faced and outs) is a difference of two such frames, so it is as point-in-time as they are. -#}
{#- Incremental (macros/features/incremental.sql): a run computes the rows after the newest date the table
    still holds, for the pitchers who have such rows, over their whole history. -#}
{{ config(**features_incremental_config(['game_date', 'pitcher_id'], 'pitcher_id')) }}
{%- set windows = [3, 5, 10] -%}

with

spine as (

    select * from {{ ref('int_pitcher_games_unioned') }}

),

pitchers_with_new_rows as (

    select distinct pitcher_id
    from spine
    where {{ features_is_new('game_date') }}

),

games as (

    select spine.*
    from spine
    inner join pitchers_with_new_rows on spine.pitcher_id = pitchers_with_new_rows.pitcher_id

),

numbered as (

    select
        games.*,
        cast(coalesce(sum(case when games.is_played then 1 else 0 end) over (
            partition by games.pitcher_id
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ), 0) as {{ dbt.type_int() }}) as career_starts_before,
        cast(coalesce(sum(case when games.is_played then 1 else 0 end) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ), 0) as {{ dbt.type_int() }}) as season_starts_before,
        sum(games.strikeouts) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as season_strikeouts_before,
        sum(games.batters_faced) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as season_bf_before,
        sum(games.walks) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as season_walks_before,
        sum(games.hits_allowed) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as season_hits_before,
        sum(games.outs_recorded) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as season_outs_before,
        sum(games.earned_runs) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as season_earned_runs_before,
        sum(games.strikeouts) over (
            partition by games.pitcher_id
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as career_strikeouts_before,
        sum(games.batters_faced) over (
            partition by games.pitcher_id
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as career_bf_before,
        sum(games.walks) over (
            partition by games.pitcher_id
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as career_walks_before,
        max(case when games.is_played then games.game_date end) over (
            partition by games.pitcher_id
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as prior_start_date,
        max(case when games.is_played then games.game_date end) over (
            partition by games.pitcher_id, games.season
            order by games.game_date
            rows between unbounded preceding and 1 preceding
        ) as season_prior_start_date

    from games

),

rolling as (

    select
        numbered.*,
        numbered.career_starts_before + 1 as start_number,
        {%- for n in windows %}
            avg(numbered.strikeouts) over (
                partition by numbered.pitcher_id order by numbered.career_starts_before
                range between {{ n }} preceding and 1 preceding
            ) as k_last_{{ n }},
            avg(numbered.batters_faced) over (
                partition by numbered.pitcher_id order by numbered.career_starts_before
                range between {{ n }} preceding and 1 preceding
            ) as bf_last_{{ n }},
            avg(numbered.outs_recorded) over (
                partition by numbered.pitcher_id order by numbered.career_starts_before
                range between {{ n }} preceding and 1 preceding
            ) as outs_last_{{ n }},
            avg(numbered.walks) over (
                partition by numbered.pitcher_id order by numbered.career_starts_before
                range between {{ n }} preceding and 1 preceding
            ) as bb_last_{{ n }},
            sum(numbered.strikeouts) over (
                partition by numbered.pitcher_id order by numbered.career_starts_before
                range between {{ n }} preceding and 1 preceding
            ) as strikeouts_last_{{ n }}_sum,
            sum(numbered.batters_faced) over (
                partition by numbered.pitcher_id order by numbered.career_starts_before
                range between {{ n }} preceding and 1 preceding
            ) as bf_last_{{ n }}_sum,
        {%- endfor %}
        count(numbered.strikeouts) over (
            partition by numbered.pitcher_id order by numbered.career_starts_before
            range between 10 preceding and 1 preceding
        ) as starts_in_last_10,
        stddev_samp(numbered.strikeouts) over (
            partition by numbered.pitcher_id order by numbered.career_starts_before
            range between 10 preceding and 1 preceding
        ) as k_std_last_10,
        max(numbered.strikeouts) over (
            partition by numbered.pitcher_id order by numbered.career_starts_before
            range between 1 preceding and 1 preceding
        ) as last_start_k,
        max(numbered.batters_faced) over (
            partition by numbered.pitcher_id order by numbered.career_starts_before
            range between 1 preceding and 1 preceding
        ) as last_start_bf,
        max(case when numbered.is_played then numbered.game_date end) over (
            partition by numbered.pitcher_id order by numbered.career_starts_before
            range between unbounded preceding and 1 preceding
        ) as last_input_game_date

    from numbered

),

season_totals as (

    select
        pitcher_id,
        season,
        count(*) as starts,
        sum(strikeouts) as strikeouts,
        sum(batters_faced) as batters_faced

    from games
    where is_played
    group by 1, 2

),

seasons_in_data as (

    select distinct season
    from spine
    where is_played

),

with_prior_season as (

    select
        rolling.*,
        case
            when seasons_in_data.season is not null then coalesce(prior_totals.starts, 0)
        end as prior_season_starts,
        prior_totals.strikeouts as prior_season_strikeouts,
        prior_totals.batters_faced as prior_season_bf

    from rolling
    left join season_totals as prior_totals
        on
            rolling.pitcher_id = prior_totals.pitcher_id
            and rolling.season - 1 = prior_totals.season
    left join seasons_in_data
        on rolling.season - 1 = seasons_in_data.season

),

features as (

    select
        game_date,
        pitcher_id,
        game_id,
        season,
        team,
        is_played,
        start_number,
        season_starts_before,
        career_starts_before,
        cast(prior_season_starts as {{ dbt.type_int() }}) as prior_season_starts,
        cast(season_bf_before as {{ dbt.type_int() }}) as season_bf_before,
        cast(career_bf_before as {{ dbt.type_int() }}) as career_bf_before,
        cast(prior_season_bf as {{ dbt.type_int() }}) as prior_season_bf,
        cast(starts_in_last_10 as {{ dbt.type_int() }}) as starts_in_last_10,
        prior_start_date,
        last_input_game_date,
        {%- for n in windows %}
            k_last_{{ n }},
            bf_last_{{ n }},
            outs_last_{{ n }},
            bb_last_{{ n }},
            {{ features_safe_divide('strikeouts_last_' ~ n ~ '_sum', 'bf_last_' ~ n ~ '_sum') }}
                as k_per_bf_last_{{ n }},
        {%- endfor %}
        k_std_last_10,
        last_start_k,
        last_start_bf,
        case when starts_in_last_10 > 3 then bf_last_3 - bf_last_10 end as bf_trend_last_3,
        case when starts_in_last_10 > 3 then outs_last_3 - outs_last_10 end as outs_trend_last_3,
        {{ features_safe_divide('season_strikeouts_before', 'season_starts_before') }} as season_k_per_start,
        {{ features_safe_divide('season_strikeouts_before', 'season_bf_before') }} as season_k_per_bf,
        {{ features_safe_divide('season_walks_before', 'season_bf_before') }} as season_bb_per_bf,
        {{ features_safe_divide('season_hits_before', 'season_bf_before') }} as season_hits_per_bf,
        {{ features_safe_divide('season_bf_before', 'season_starts_before') }} as season_bf_per_start,
        {{ features_safe_divide('season_outs_before', 'season_starts_before') }} as season_outs_per_start,
        {{ features_safe_divide('27 * season_earned_runs_before', 'season_outs_before') }} as season_era,
        {{ features_safe_divide('career_strikeouts_before', 'career_starts_before') }} as career_k_per_start,
        {{ features_safe_divide('career_strikeouts_before', 'career_bf_before') }} as career_k_per_bf,
        {{ features_safe_divide('career_walks_before', 'career_bf_before') }} as career_bb_per_bf,
        {{ features_safe_divide('career_bf_before', 'career_starts_before') }} as career_bf_per_start,
        {{ features_safe_divide('prior_season_strikeouts', 'prior_season_starts') }} as prior_season_k_per_start,
        {{ features_safe_divide('prior_season_strikeouts', 'prior_season_bf') }} as prior_season_k_per_bf,
        {{ dbt.datediff('season_prior_start_date', 'game_date', 'day') }} - 1 as days_rest

    from with_prior_season
    where {{ features_is_new('with_prior_season.game_date') }}

),

final as (

    {{ features_with_inputs_loaded_at('features', ref('int_pitcher_games_unioned')) }}

)

select * from final
