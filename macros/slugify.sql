{#- A stable, readable key from a name: "Luis García" -> luis_garcia. Dialects differ in accent
    stripping and regex flags, so the body is dispatched per adapter. -#}
{% macro slugify(expr) -%}
    {{ return(adapter.dispatch('slugify', 'kzone')(expr)) }}
{%- endmacro %}

{% macro default__slugify(expr) -%}
    trim(regexp_replace(lower(strip_accents({{ expr }})), '[^a-z0-9]+', '_', 'g'), '_')
{%- endmacro %}

{% macro bigquery__slugify(expr) -%}
    trim(regexp_replace(lower(regexp_replace(normalize({{ expr }}, nfd), r'\pM', '')), r'[^a-z0-9]+', '_'), '_')
{%- endmacro %}
