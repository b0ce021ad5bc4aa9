{#- The deterministic prediction key, the scorer's Python formula
    sha256(f"{game_date:%Y-%m-%d}|{pitcher_id}|{system_id}").hexdigest(): lowercase hex of the sha256 of
    'YYYY-MM-DD|<pitcher key>|system_id'. The scorer keys on pitcher_id; migrated legacy rows, which only
    carry a name slug, key on their pitcher_lookup (the two key spaces cannot collide). DuckDB's sha256()
    returns hex; BigQuery's returns bytes, hence to_hex(). -#}
{% macro prediction_id(game_date, pitcher_key, system_id) -%}
    {{ return(adapter.dispatch('prediction_id', 'kzone')(game_date, pitcher_key, system_id)) }}
{%- endmacro %}

{% macro default__prediction_id(game_date, pitcher_key, system_id) -%}
    sha256(concat(cast({{ game_date }} as {{ dbt.type_string() }}), '|', {{ pitcher_key }}, '|', {{ system_id }}))
{%- endmacro %}

{% macro bigquery__prediction_id(game_date, pitcher_key, system_id) -%}
    to_hex(sha256(concat(cast({{ game_date }} as string), '|', {{ pitcher_key }}, '|', {{ system_id }})))
{%- endmacro %}
