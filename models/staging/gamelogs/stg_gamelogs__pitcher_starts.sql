{#- Its data tests read only the rows dated on or after var('tests_since_date') when it is set
    (macros/tests_scope.sql). -#}
{{ config(meta={'tests_since_column': 'game_date'}) }}
with

source as (

    select * from {{ source('gamelogs', 'pitcher_game_logs') }}

),

renamed as (

    select
        source.game_id,
        source.pitcher_id,
        trim(source.pitcher_name) as pitcher_name,
        {{ slugify('source.pitcher_name') }} as pitcher_lookup,
        source.team,
        source.opponent,
        source.park_id,
        source.umpire_home_id,
        upper(source.pitcher_throws) as pitcher_throws,
        source.decision,
        cast(source.season as {{ dbt.type_int() }}) as season,
        cast(source.game_number as {{ dbt.type_int() }}) as game_number,
        cast(source.outs_recorded as {{ dbt.type_int() }}) as outs_recorded,
        cast(source.batters_faced as {{ dbt.type_int() }}) as batters_faced,
        cast(source.strikeouts as {{ dbt.type_int() }}) as strikeouts,
        cast(source.walks as {{ dbt.type_int() }}) as walks,
        cast(source.hits_allowed as {{ dbt.type_int() }}) as hits_allowed,
        cast(source.home_runs_allowed as {{ dbt.type_int() }}) as home_runs_allowed,
        cast(source.earned_runs as {{ dbt.type_int() }}) as earned_runs,
        cast(source.hit_batters as {{ dbt.type_int() }}) as hit_batters,
        cast(source.scheduled_innings as {{ dbt.type_int() }}) as scheduled_innings,
        cast(source.opp_lineup_lhb as {{ dbt.type_int() }}) as opp_lineup_lhb,
        cast(source.opp_lineup_rhb as {{ dbt.type_int() }}) as opp_lineup_rhb,
        cast(source.opp_lineup_swb as {{ dbt.type_int() }}) as opp_lineup_swb,
        cast(source.opp_lineup_platoon_adv as {{ dbt.type_int() }}) as opp_lineup_platoon_adv,
        source.is_home,
        source.day_night = 'day' as is_day_game,
        source.use_dh as is_dh_game,
        source.complete_game as is_complete_game,
        cast(source.game_date as date) as game_date,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
