{#- Fails on every feature row (store and intermediates) that read a game on or after its own date:
    the newest input date recorded by each window must lie strictly before game_date. -#}
with

store as (

    select * from {{ ref('ml_feature_store') }}

),

pitcher_form as (

    select * from {{ ref('int_pitcher_starts_windowed') }}

),

opponent_form as (

    select * from {{ ref('int_opponent_games_windowed') }}

),

violations as (

    select
        'ml_feature_store' as relation_name,
        store.pitcher_id as row_key,
        store.game_date,
        greatest(
            coalesce(store.pitcher_last_input_date, store.prior_start_date, store.opp_last_input_date),
            coalesce(store.prior_start_date, store.pitcher_last_input_date, store.opp_last_input_date),
            coalesce(store.opp_last_input_date, store.pitcher_last_input_date, store.prior_start_date)
        ) as newest_input_date

    from store

    union all

    select
        'int_pitcher_starts_windowed' as relation_name,
        pitcher_form.pitcher_id as row_key,
        pitcher_form.game_date,
        greatest(
            coalesce(pitcher_form.last_input_game_date, pitcher_form.prior_start_date),
            coalesce(pitcher_form.prior_start_date, pitcher_form.last_input_game_date)
        ) as newest_input_date

    from pitcher_form

    union all

    select
        'int_opponent_games_windowed' as relation_name,
        opponent_form.opponent as row_key,
        opponent_form.game_date,
        opponent_form.last_input_game_date as newest_input_date

    from opponent_form

)

select * from violations
where newest_input_date >= game_date
