{#- The migrated legacy table (the migrations are an explicit step before the build: kzone build, the daily
    job, or dbt run-operation run_migrations); an unmigrated table stops here saying so. -#}
{{ assert_legacy_migrated() }}

with

source as (

    {{ source_if_exists('legacy', 'pitcher_strikeouts_legacy') }}

),

renamed as (

    select
        {{ slugify('source.pitcher_lookup') }} as pitcher_lookup,
        source.pitcher_lookup as legacy_pitcher_lookup,
        trim(source.pitcher_name) as pitcher_name,
        source.system_id,
        source.model_version,
        upper(source.recommendation) as recommendation,
        cast(source.predicted_strikeouts as {{ type_double() }}) as predicted_strikeouts,
        cast(source.strikeouts_line as {{ type_double() }}) as strikeouts_line,
        cast(source.over_odds as {{ type_int64() }}) as over_odds,
        cast(source.under_odds as {{ type_int64() }}) as under_odds,
        cast(source.edge as {{ type_double() }}) as edge,
        cast(source.confidence as {{ type_double() }}) as confidence,
        cast(source.feature_coverage_pct as {{ type_double() }}) as feature_coverage_pct,
        cast(source.game_date as date) as game_date,
        source.created_at

    from source

)

select * from renamed
