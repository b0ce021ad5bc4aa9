{#- Cell k of a prediction's strikeout distribution, stored as a JSON array of P(K = k) for k = 0..20
    (python_models/predictors/distribution.py writes it; the last cell holds P(K >= 20)). -#}
{% macro pmf_cell(pmf_json, k) -%}
    {{ return(adapter.dispatch('pmf_cell', 'kzone')(pmf_json, k)) }}
{%- endmacro %}

{% macro default__pmf_cell(pmf_json, k) -%}
    cast(json_extract({{ pmf_json }}, '$[{{ k }}]') as {{ type_double() }})
{%- endmacro %}

{% macro bigquery__pmf_cell(pmf_json, k) -%}
    cast(json_extract_scalar({{ pmf_json }}, '$[{{ k }}]') as float64)
{%- endmacro %}

{#- The largest k a distribution holds (its last cell is P(K >= k)). -#}
{% macro pmf_max_k() -%}
    {{ return(20) }}
{%- endmacro %}
