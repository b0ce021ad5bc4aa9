with

source as (

    {{ source_if_exists('register', 'people') }}

),

renamed as (

    select
        source.pitcher_id,
        trim(concat(coalesce(source.first, ''), ' ', coalesce(source.last, ''))) as pitcher_name,
        {{ slugify("concat(coalesce(source.first, ''), ' ', coalesce(source.last, ''))") }} as pitcher_lookup,
        upper(source.throws) as pitcher_throws,
        upper(source.bats) as pitcher_bats,
        source.key_bbref,
        source.key_fangraphs,
        cast(source.key_mlbam as {{ type_int64() }}) as key_mlbam,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
