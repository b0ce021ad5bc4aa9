{#- The feature store: one row per probable starter per game date (for played games, the actual
    starter), every feature of every set in vars.feature_sets, and per-set coverage. Features are never
    imputed: a debut is visibly thin (NULLs, low coverage). Incremental by game_date like the windowed
    intermediates it reads (macros/features/incremental.sql): a run computes the dates after the newest
    one the table still holds, once the pre-hook has deleted the lookback window and every date since the
    earliest changed input. BigQuery: partitioned by game_date (day), clustered by pitcher_id. -#}
{{ config(**features_incremental_config('feature_row_id', 'pitcher_id')) }}

{%- set window_days = var('opponent_window_days') | int %}
{%- set bullpen_days = var('bullpen_window_days') | int %}

with

spine as (

    select * from {{ ref('int_pitcher_games_unioned') }}
    where {{ features_is_new('game_date') }}

),

input_loads as (

    {{ features_input_loads(ref('int_pitcher_games_unioned')) }}

),

pitcher_form as (

    select * from {{ ref('int_pitcher_starts_windowed') }}

),

opponent_form as (

    select * from {{ ref('int_opponent_games_windowed') }}

),

opponent_batting as (

    select * from {{ ref('int_opponent_batting_windowed') }}

),

parks as (

    select * from {{ ref('int_park_games_windowed') }}

),

umpires as (

    select * from {{ ref('int_umpire_games_windowed') }}

),

managers as (

    select * from {{ ref('int_manager_games_windowed') }}

),

bullpens as (

    select * from {{ ref('int_bullpen_games_windowed') }}

),

pitchers as (

    select * from {{ ref('dim_pitchers') }}

),

joined as (

    select
        {{ features_row_id('spine.game_date', 'spine.pitcher_id') }} as feature_row_id,
        spine.game_id,
        spine.pitcher_id,
        pitchers.pitcher_lookup,
        spine.pitcher_name,
        spine.team,
        spine.opponent,
        spine.park_id,
        spine.umpire_home_id,
        spine.manager_id,
        spine.season,
        spine.game_number,
        pitcher_form.start_number,
        pitcher_form.season_starts_before,
        pitcher_form.career_starts_before,
        pitcher_form.prior_season_starts,
        pitcher_form.season_bf_before,
        pitcher_form.career_bf_before,
        pitcher_form.prior_season_bf,
        pitcher_form.starts_in_last_10,
        opponent_form.opp_starts_{{ window_days }}d,
        opponent_form.opp_bf_{{ window_days }}d,
        opponent_batting.opp_bat_pa_season,
        parks.park_expected_strikeouts,
        umpires.umpire_expected_strikeouts,
        managers.mgr_starts_before,
        pitcher_form.season_k_per_start,
        pitcher_form.season_k_per_bf,
        pitcher_form.season_bb_per_bf,
        pitcher_form.season_hits_per_bf,
        pitcher_form.season_bf_per_start,
        pitcher_form.season_outs_per_start,
        pitcher_form.season_era,
        pitcher_form.career_k_per_start,
        pitcher_form.career_k_per_bf,
        pitcher_form.career_bb_per_bf,
        pitcher_form.career_bf_per_start,
        pitcher_form.prior_season_k_per_start,
        pitcher_form.prior_season_k_per_bf,
        pitcher_form.days_rest,
        opponent_form.opp_k_per_bf_{{ window_days }}d,
        spine.opp_lineup_lhb,
        spine.opp_lineup_rhb,
        spine.opp_lineup_swb,
        spine.opp_lineup_platoon_adv,
        spine.opp_lineup_source,
        {%- for n in [3, 5, 10] %}
            pitcher_form.k_last_{{ n }},
            pitcher_form.bf_last_{{ n }},
            pitcher_form.outs_last_{{ n }},
            pitcher_form.bb_last_{{ n }},
            pitcher_form.k_per_bf_last_{{ n }},
        {%- endfor %}
        pitcher_form.k_std_last_10,
        pitcher_form.last_start_k,
        pitcher_form.last_start_bf,
        pitcher_form.bf_trend_last_3,
        pitcher_form.outs_trend_last_3,
        opponent_batting.opp_bat_k_pct_season,
        {%- for n in var('team_batting_windows') %}
            opponent_batting.opp_bat_k_pct_last_{{ n }},
        {%- endfor %}
        parks.park_k_factor,
        umpires.umpire_k_factor,
        managers.mgr_leash_bf,
        managers.mgr_leash_outs,
        bullpens.bullpen_outs_last_{{ bullpen_days }}d,
        bullpens.bullpen_pitchers_last_{{ bullpen_days }}d,
        spine.scheduled_innings,
        case when spine.is_dh_game then 1 when not spine.is_dh_game then 0 end as is_dh_game,
        case when spine.is_home then 1 when not spine.is_home then 0 end as is_home,
        case when spine.is_day_game then 1 when not spine.is_day_game then 0 end as is_day_game,
        case when spine.pitcher_throws = 'L' then 1 when spine.pitcher_throws = 'R' then 0 end
            as pitcher_throws_left,
        spine.is_played,
        spine.game_date,
        pitcher_form.prior_start_date,
        pitcher_form.last_input_game_date as pitcher_last_input_date,
        opponent_form.last_input_game_date as opp_last_input_date,
        opponent_batting.last_input_game_date as opp_bat_last_input_date,
        parks.last_input_game_date as park_last_input_date,
        umpires.last_input_game_date as umpire_last_input_date,
        managers.last_input_game_date as manager_last_input_date,
        bullpens.last_input_game_date as bullpen_last_input_date,
        spine.first_pitch_at,
        input_loads.inputs_loaded_at

    from spine
    inner join input_loads
        on spine.game_date = input_loads.game_date
    inner join pitcher_form
        on
            spine.game_date = pitcher_form.game_date
            and spine.pitcher_id = pitcher_form.pitcher_id
    left join opponent_form
        on
            spine.opponent = opponent_form.opponent
            and spine.game_date = opponent_form.game_date
    left join opponent_batting
        on
            spine.opponent = opponent_batting.opponent
            and spine.game_date = opponent_batting.game_date
    left join parks
        on
            spine.park_id = parks.park_id
            and spine.game_date = parks.game_date
    left join umpires
        on
            spine.umpire_home_id = umpires.umpire_home_id
            and spine.game_date = umpires.game_date
    left join managers
        on
            spine.manager_id = managers.manager_id
            and spine.game_date = managers.game_date
    left join bullpens
        on
            spine.team = bullpens.team
            and spine.game_date = bullpens.game_date
    left join pitchers
        on spine.pitcher_id = pitchers.pitcher_id

),

selected as (

    select
        feature_row_id,
        game_date,
        game_id,
        season,
        game_number,
        pitcher_id,
        pitcher_lookup,
        pitcher_name,
        team,
        opponent,
        park_id,
        umpire_home_id,
        manager_id,
        is_played,
        opp_lineup_source,
        first_pitch_at,
        start_number,
        career_bf_before,
        season_bf_before,
        prior_season_bf,
        starts_in_last_10,
        opp_starts_{{ window_days }}d,
        opp_bf_{{ window_days }}d,
        opp_bat_pa_season,
        park_expected_strikeouts,
        umpire_expected_strikeouts,
        mgr_starts_before,
        prior_start_date,
        pitcher_last_input_date,
        opp_last_input_date,
        opp_bat_last_input_date,
        park_last_input_date,
        umpire_last_input_date,
        manager_last_input_date,
        bullpen_last_input_date,
        inputs_loaded_at,
        {%- for feature in features_all_columns() %}
            {{ feature }},
        {%- endfor %}
        {{ features_coverage_columns('joined') }}

    from joined

),

final as (

    select
        selected.*,
        {{ features_min_coverage('selected') }} as feature_coverage_pct

    from selected

)

select * from final
