with

source as (

    select * from {{ source('injuries', 'injured_list') }}

),

renamed as (

    select
        source.pitcher_id,
        trim(source.pitcher_name) as pitcher_name,
        {{ slugify('source.pitcher_name') }} as pitcher_lookup,
        source.team,
        upper(source.status) as il_status,
        source.scraped_at,
        cast(source.scraped_at as date) as scraped_date,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
