with

source as (

    select * from {{ source('schedule', 'probable_starters') }}

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
        source.manager_id,
        upper(source.pitcher_throws) as pitcher_throws,
        cast(source.opp_lineup_lhb as {{ dbt.type_int() }}) as opp_lineup_lhb,
        cast(source.opp_lineup_rhb as {{ dbt.type_int() }}) as opp_lineup_rhb,
        cast(source.opp_lineup_swb as {{ dbt.type_int() }}) as opp_lineup_swb,
        cast(source.opp_lineup_platoon_adv as {{ dbt.type_int() }}) as opp_lineup_platoon_adv,
        cast(source.scheduled_innings as {{ dbt.type_int() }}) as scheduled_innings,
        coalesce(source.is_scratched, false) as is_scratched,
        source.is_home,
        source.day_night = 'day' as is_day_game,
        source.use_dh as is_dh_game,
        cast(source.game_date as date) as game_date,
        source.first_pitch_at,
        source.announced_at,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
