{#- dbt's `where` for generic data tests, scoped to the rows a run touched. With var('tests_since_date')
    set (YYYY-MM-DD; the morning passes its first recomputed date), a test attached to a model whose config
    names `meta.tests_since_column` reads only that model's rows with the column on or after the date, on
    top of the test's own `where`. Empty (the default: `make test`, `kzone build`, `kzone check --full`):
    every row, exactly as dbt's own macro. Singular tests and tests on other models always read everything. -#}
{% macro default__get_where_subquery(relation) -%}
    {%- set filters = [] -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do filters.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set column = tests_since_column() -%}
    {%- if column -%}
        {%- do filters.append(column ~ " >= cast('" ~ tests_since_date() ~ "' as date)") -%}
    {%- endif -%}
    {%- if filters -%}
        {%- set filtered -%}
            (select * from {{ relation }} where {{ filters | join(' and ') }}) dbt_subquery
        {%- endset -%}
        {%- do return(filtered) -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- var('tests_since_date') (or, when the SQL executes, env KZONE_TESTS_SINCE_DATE: on DuckDB the runner passes
    it there like the day, so the --vars JSON stays the same) checked: '' or a YYYY-MM-DD date (anything else
    stops the run naming it). -#}
{% macro tests_since_date() -%}
    {%- set since = var('tests_since_date', '') or (env_var('KZONE_TESTS_SINCE_DATE', '') if execute else '') -%}
    {%- set since = since | string | trim -%}
    {%- if since -%}
        {%- set parsed = modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', since) -%}
        {%- if not parsed -%}
            {{ exceptions.raise_compiler_error(
                "var tests_since_date = '" ~ since ~ "' is not a YYYY-MM-DD date: pass e.g. "
                ~ "--vars '{tests_since_date: 2026-09-24}', or leave it empty to test every row") }}
        {%- endif -%}
    {%- endif -%}
    {{- return(since) -}}
{%- endmacro %}

{#- The date column the current test is scoped on: the tested model's meta.tests_since_column when
    var('tests_since_date') is set, else none. -#}
{% macro tests_since_column() -%}
    {%- if not execute or not tests_since_date() -%}
        {{- return(none) -}}
    {%- endif -%}
    {%- set attached = model.get('attached_node') if model is mapping else none -%}
    {%- if attached and attached in graph.nodes -%}
        {{- return(graph.nodes[attached].config.meta.get('tests_since_column')) -}}
    {%- endif -%}
    {{- return(none) -}}
{%- endmacro %}
