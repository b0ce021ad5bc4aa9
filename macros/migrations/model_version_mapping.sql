{#- SQL for model_version -> system_id: the seed model_version_systems (the legacy versions, curated)
    united with scoring.model_registry (every version the trainer registered) when that table exists.
    The seed wins where both know a version. Fails loudly when the seed is not loaded. -#}
{% macro model_version_mapping_sql() -%}
    {%- set seed = ref('model_version_systems') -%}
    {%- set seed_found = adapter.get_relation(database=seed.database, schema=seed.schema, identifier=seed.identifier) -%}
    {%- if seed_found is none -%}
        {{ exceptions.raise_compiler_error(
            "migrations need the seed model_version_systems: run `dbt seed --select model_version_systems` "
            ~ "first (a `dbt build` does it in order)") }}
    {%- endif -%}
    {%- set registry = source('scoring', 'model_registry') -%}
    {%- set registry_found = adapter.get_relation(database=registry.database, schema=registry.schema,
        identifier=registry.identifier) -%}
    select model_version, system_id from {{ seed }}
    {%- if registry_found is not none %}
    union all
    select registry.model_version, registry.system_id
    from {{ registry }} as registry
    where registry.model_version not in (select seeded.model_version from {{ seed }} as seeded)
    {%- endif %}
{%- endmacro %}
