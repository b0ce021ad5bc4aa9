{#- The prediction systems live once, in dbt_project.yml `vars.systems` (the runner reads the same list).
    These macros hand it to the SQL. Under the lint templater (sqlfluff, no dbt) `var` is a string stub, so
    a placeholder list is used there; each macro reads the var itself, because a macro calling another
    macro's `return` does not work under that templater. -#}
{% macro kzone_systems() -%}
    {%- set systems = var('systems') -%}
    {%- if systems is not mapping -%}
        {%- set systems = {'lint_a': {'kind': 'xgboost_poisson'}, 'lint_b': {'kind': 'xgboost_poisson'},
            'lint_ensemble': {'kind': 'ensemble', 'components': ['lint_a', 'lint_b']}} -%}
    {%- endif -%}
    {{ return(systems) }}
{%- endmacro %}

{#- Every system id, in the order dbt_project.yml lists them. -#}
{% macro kzone_system_ids() -%}
    {%- set systems = var('systems') -%}
    {{ return((systems if systems is mapping else {'lint_a': 1, 'lint_b': 1, 'lint_ensemble': 1}).keys() | list) }}
{%- endmacro %}

{#- The systems the runner scores: var('active_systems') (the runner passes MLB_ACTIVE_SYSTEMS), or every
    system when it is empty. -#}
{% macro kzone_active_systems() -%}
    {%- set active = var('active_systems', []) -%}
    {%- set systems = var('systems') -%}
    {%- if active is string or active | length == 0 -%}
        {{ return((systems if systems is mapping else {'lint_a': 1, 'lint_b': 1}).keys() | list) }}
    {%- endif -%}
    {{ return(active | list) }}
{%- endmacro %}

{#- The ensemble's system id and its component systems. -#}
{% macro kzone_ensemble() -%}
    {%- set systems = var('systems') -%}
    {%- if systems is not mapping -%}
        {{ return({'system_id': 'lint_ensemble', 'components': ['lint_a', 'lint_b']}) }}
    {%- endif -%}
    {%- set found = namespace(spec=none) -%}
    {%- for system_id, spec in systems.items() -%}
        {%- if spec['kind'] == 'ensemble' and found.spec is none -%}
            {%- set found.spec = {'system_id': system_id, 'components': spec['components']} -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if found.spec is none -%}
        {{ exceptions.raise_compiler_error('dbt_project.yml vars.systems holds no ensemble') }}
    {%- endif -%}
    {{ return(found.spec) }}
{%- endmacro %}

{#- A relation of one row per system id (column system_id), for a cross join. -#}
{% macro system_id_rows(system_ids) -%}
    {%- for system in system_ids %}
        select '{{ system }}' as system_id
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- A SQL list literal of strings: ('a', 'b'). -#}
{% macro sql_string_list(values) -%}
    ('{{ values | join("', '") }}')
{%- endmacro %}

{#- The agreement rule, once: the components' spread (K) is strong below var agreement_strong_k, disagrees
    above var agreement_disagree_k, moderate in between (both edges inclusive); null without a spread. -#}
{% macro agreement_level(spread) -%}
    case
        when {{ spread }} < {{ var('agreement_strong_k') }} then 'strong'
        when {{ spread }} > {{ var('agreement_disagree_k') }} then 'disagree'
        when {{ spread }} is not null then 'moderate'
    end
{%- endmacro %}
