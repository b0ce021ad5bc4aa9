{#- The deterministic row key of the feature store: md5 of "YYYY-MM-DD|pitcher_id". -#}
{% macro features_row_id(game_date, pitcher_id) -%}
    {{ dbt.hash(dbt.concat(["cast(" ~ game_date ~ " as " ~ dbt.type_string() ~ ")", "'|'", pitcher_id])) }}
{%- endmacro %}
