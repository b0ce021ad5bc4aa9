{#- The first game_date the pitcher_strikeouts MERGE may touch on BigQuery (incremental_predicates prune
    the target to these partitions): var('predictions_merge_start') when the runner passes it (the
    earliest landing row not yet merged), never later than the grading window's start. A SQL date
    expression. -#}
{% macro predictions_merge_start() -%}
    {%- set grading_start = 'cast(' ~ dbt.dateadd('day', -1 * (var('grading_lookback_days') | int), as_of_date()) ~ ' as date)' -%}
    {%- set requested = var('predictions_merge_start', '') -%}
    {%- if requested -%}
        least(cast('{{ requested }}' as date), {{ grading_start }})
    {%- else -%}
        {{ grading_start }}
    {%- endif -%}
{%- endmacro %}

{#- Pre-hook of fct_pitcher_strikeouts on BigQuery: an incremental MERGE limited to partitions on or after
    predictions_merge_start() cannot see an older target row, so a landing row re-scored before that date
    would be inserted twice. Stop the run instead, naming the date and the fix. Does nothing on a full
    build, at parse time, and for the offline compile. -#}
{% macro predictions_assert_merge_start(target_relation, landing_relation) -%}
    {%- if not execute or target.name == 'bigquery_offline' or not is_incremental() -%}
        {{ return('') }}
    {%- endif -%}
    {%- set sql -%}
        select cast(min(unmerged.game_date) as {{ dbt.type_string() }}) as earliest
        from ({{ unmerged_landing_rows(landing_relation, target_relation) }}) as unmerged
        where unmerged.game_date < {{ predictions_merge_start() }}
    {%- endset -%}
    {%- set earliest = run_query(sql).columns[0].values()[0] -%}
    {%- if earliest -%}
        {{ exceptions.raise_compiler_error(
            'pitcher_strikeouts: landing rows from ' ~ earliest ~ ' are not merged yet and lie before the '
            ~ 'MERGE window; nothing was written. Run `kzone build` (it passes the window), or dbt with '
            ~ "--vars '{predictions_merge_start: " ~ earliest ~ "}'.") }}
    {%- endif -%}
    {{ return('') }}
{%- endmacro %}

{#- The landing rows not yet in pitcher_strikeouts with their latest content (new, or re-scored: another
    scored_at), the one definition of "unmerged": what fct_pitcher_strikeouts re-selects whatever their date,
    what its BigQuery pre-hook checks, and what predictions_unmerged shows (the runner reads the earliest
    date there for var predictions_merge_start). A select of the landing relation's columns. -#}
{% macro unmerged_landing_rows(landing_relation, target_relation) -%}
    select landing.*
    from {{ landing_relation }} as landing
    left join {{ target_relation }} as merged
        on
            landing.prediction_id = merged.prediction_id
            and landing.scored_at = merged.scored_at
    where merged.prediction_id is null
{%- endmacro %}
