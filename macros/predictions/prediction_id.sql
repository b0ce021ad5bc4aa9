{#- The deterministic prediction key, identical to the scorer's Python
    sha256(f"{game_date:%Y-%m-%d}|{pitcher_lookup}|{system_id}").hexdigest():
    lowercase hex of the sha256 of 'YYYY-MM-DD|pitcher_lookup|system_id'. DuckDB's sha256() returns hex;
    BigQuery's returns bytes, hence to_hex(). -#}
{% macro prediction_id(game_date, pitcher_lookup, system_id) -%}
    {{ return(adapter.dispatch('prediction_id', 'kzone')(game_date, pitcher_lookup, system_id)) }}
{%- endmacro %}

{% macro default__prediction_id(game_date, pitcher_lookup, system_id) -%}
    sha256(concat(cast({{ game_date }} as {{ dbt.type_string() }}), '|', {{ pitcher_lookup }}, '|', {{ system_id }}))
{%- endmacro %}

{% macro bigquery__prediction_id(game_date, pitcher_lookup, system_id) -%}
    to_hex(sha256(concat(cast({{ game_date }} as string), '|', {{ pitcher_lookup }}, '|', {{ system_id }})))
{%- endmacro %}
