with

source as (

    {{ source_if_exists('scoring', 'model_registry', [
        'model_version:string', 'system_id:string', 'trained_through:date', 'training_rows:int64',
        'validation_mae:float64', 'model_path:string', 'model_sha256:string',
        'registered_at:timestamp', 'row_hash:string']) }}

),

renamed as (

    select
        source.model_version,
        source.system_id,
        source.model_path,
        source.model_sha256,
        cast(source.training_rows as {{ type_int64() }}) as training_rows,
        cast(source.validation_mae as {{ type_double() }}) as validation_mae,
        cast(source.trained_through as date) as trained_through_date,
        source.registered_at

    from source

)

select * from renamed
