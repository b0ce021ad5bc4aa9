{#- The feature lists live once, in dbt_project.yml `vars.feature_sets`; dbt, the trainer and the scorer
    read that one list. These macros hand it to the SQL. Under the lint templater (sqlfluff, no dbt) `var`
    is a string stub, so a one-feature placeholder set is returned there. -#}
{% macro features_feature_sets() -%}
    {%- set sets = var('feature_sets') -%}
    {%- if sets is mapping -%}
        {{ return(sets) }}
    {%- else -%}
        {{ return({'lint_set': ['days_rest']}) }}
    {%- endif -%}
{%- endmacro %}

{#- Union of every feature set, in first-seen order (the same order as python_models.dbt.project.all_features). -#}
{% macro features_all_columns() -%}
    {%- set seen = [] -%}
    {%- for set_name, columns in features_feature_sets().items() -%}
        {%- for column in columns -%}
            {%- if column not in seen -%}
                {%- do seen.append(column) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(seen) }}
{%- endmacro %}

{#- Select-list items `<set>_feature_count` (non-null features) and `<set>_coverage_pct` (0-100, one
    decimal) for every feature set, comma-separated (no trailing comma). -#}
{% macro features_coverage_columns(relation_alias) -%}
    {%- for set_name, columns in features_feature_sets().items() %}
        {%- set non_null -%}
            {%- for column in columns -%}
                case when {{ relation_alias }}.{{ column }} is not null then 1 else 0 end
                {%- if not loop.last %} + {% endif -%}
            {%- endfor -%}
        {%- endset %}
        ({{ non_null }}) as {{ set_name }}_feature_count,
        round(
            cast(100 * ({{ non_null }}) as {{ type_double() }}) / {{ columns | length }}, 1
        ) as {{ set_name }}_coverage_pct
        {%- if not loop.last %},{% endif %}
    {%- endfor %}
{%- endmacro %}

{#- `feature_coverage_pct`: the smallest of the per-set coverages (columns of `relation_alias`). -#}
{% macro features_min_coverage(relation_alias) -%}
    {%- set sets = features_feature_sets() | list -%}
    {%- if sets | length > 1 -%}
        least(
            {%- for set_name in sets -%}
                {{ relation_alias }}.{{ set_name }}_coverage_pct{% if not loop.last %}, {% endif %}
            {%- endfor -%}
        )
    {%- else -%}
        {{ relation_alias }}.{{ sets[0] }}_coverage_pct
    {%- endif -%}
{%- endmacro %}
