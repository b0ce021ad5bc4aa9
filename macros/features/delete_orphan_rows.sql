{#- Incremental pre-hook of ml_feature_store. A MERGE updates and inserts but never deletes: a probable
    starter scratched after an earlier run would stay in the slate. Within the lookback window (the rows
    the run recomputes) this deletes the rows whose key is no longer in the spine, so an incremental run
    leaves exactly the rows a full refresh would. Renders nothing on a full build. -#}
{% macro features_delete_orphan_rows(spine_relation) -%}
    {%- if is_incremental() -%}
        delete from {{ this }}
        where
            game_date >= ({{ features_lookback_start(this) }})
            and feature_row_id not in (
                select {{ features_row_id('spine.game_date', 'spine.pitcher_id') }}
                from {{ spine_relation }} as spine
            )
    {%- endif -%}
{%- endmacro %}

{#- First game_date an incremental run recomputes: the newest date already built minus
    var('incremental_lookback_days'), so late game logs and late announcements are picked up. -#}
{% macro features_lookback_start(relation) -%}
    select cast({{ dbt.dateadd('day', -1 * (var('incremental_lookback_days') | int), 'max(game_date)') }} as date)
    from {{ relation }}
{%- endmacro %}

{#- The deterministic row key of the feature store: md5 of "YYYY-MM-DD|pitcher_id". -#}
{% macro features_row_id(game_date, pitcher_id) -%}
    {{ dbt.hash(dbt.concat(["cast(" ~ game_date ~ " as " ~ dbt.type_string() ~ ")", "'|'", pitcher_id])) }}
{%- endmacro %}
