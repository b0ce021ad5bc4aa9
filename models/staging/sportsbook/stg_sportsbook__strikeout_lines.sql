with

source as (

    select * from {{ source('sportsbook', 'strikeout_lines') }}

),

renamed as (

    select
        source.game_id,
        source.pitcher_id,
        trim(source.pitcher_name) as pitcher_name,
        lower(trim(source.bookmaker)) as bookmaker,
        cast(source.strikeouts_line as {{ type_double() }}) as strikeouts_line,
        cast(source.over_odds as {{ dbt.type_int() }}) as over_odds,
        cast(source.under_odds as {{ dbt.type_int() }}) as under_odds,
        cast(source.game_date as date) as game_date,
        source.captured_at,
        {{ column_or_null('sportsbook', 'strikeout_lines', 'event_start_at', 'timestamp') }} as event_start_at,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
