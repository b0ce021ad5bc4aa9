with

source as (

    {{ source_if_exists('schedule', 'game_statuses') }}

),

renamed as (

    select
        source.game_id,
        cast(source.game_pk as {{ type_int64() }}) as game_pk,
        trim(source.game_status) as game_status,
        source.is_called_off,
        cast(source.game_date as date) as game_date,
        source.reported_at,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
