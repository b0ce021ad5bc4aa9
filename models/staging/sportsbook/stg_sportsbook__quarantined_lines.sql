with

source as (

    {{ source_if_exists('sportsbook', 'strikeout_lines_quarantine') }}

),

renamed as (

    select
        source._source_file as source_file,
        source.record,
        source.source_format,
        trim(source.pitcher_name) as pitcher_name,
        source.team,
        lower(trim(source.bookmaker)) as bookmaker,
        source.reason,
        source.raw_row,
        cast(source.line_number as {{ type_int64() }}) as line_number,
        cast(source.game_date as date) as game_date,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
