{#- Gate predictions_model_version_registered: every (system_id, model_version) in pitcher_strikeouts is
    known — in the seed model_version_systems (legacy versions) or the trainer's model registry — and
    mapped to that same system. Zero tolerance: an unregistered version cannot be traced to a model file. -#}
with

predictions as (

    select distinct
        system_id,
        model_version

    from {{ ref('fct_pitcher_strikeouts') }}

),

known as (

    select
        model_version,
        system_id
    from {{ ref('model_version_systems') }}
    union all
    select
        model_version,
        system_id
    from {{ ref('stg_scoring__registered_models') }}

),

unregistered as (

    select
        predictions.system_id,
        predictions.model_version

    from predictions
    left join known
        on
            predictions.model_version = known.model_version
            and predictions.system_id = known.system_id
    where known.model_version is null

)

select * from unregistered
