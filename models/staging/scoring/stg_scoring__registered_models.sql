with

source as (

    {{ source_if_exists('scoring', 'model_registry') }}

),

renamed as (

    select
        source.model_version,
        source.system_id,
        source.model_path,
        source.model_sha256,
        cast(source.training_rows as {{ type_int64() }}) as training_rows,
        cast(source.validation_mae as {{ type_double() }}) as validation_mae,
        cast(source.market_weight as {{ type_double() }}) as market_weight,
        cast(source.market_intercept as {{ type_double() }}) as market_intercept,
        cast(source.market_blend_rows as {{ type_int64() }}) as market_blend_rows,
        cast(source.trained_through as date) as trained_through_date,
        source.registered_at

    from source

)

select * from renamed
