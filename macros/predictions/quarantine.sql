{#- Post-hook of pitcher_strikeouts. Its MERGE updates and inserts but never deletes: a row published
    earlier whose landing row now breaks a row-level rule (re-scored or overwritten with bad content) would
    stay published. This deletes every published row whose prediction_id is held back now
    (int_predictions_checked), so the table holds exactly the rows that passed. Renders nothing on a full
    build (the select already reads only passed rows). -#}
{% macro predictions_delete_held_back(checked_relation) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where prediction_id in (
            select checked.prediction_id
            from {{ checked_relation }} as checked
            where checked.quarantine_rule is not null
        )
    {%- endif -%}
{%- endmacro %}
