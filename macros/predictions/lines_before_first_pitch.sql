{#- The line captures a book posted before its game began, one rule for the closing line (int_closing_lines)
    and the line-movement snapshot (snap_strikeout_lines): a capture counts when it is strictly before the
    game's first pitch — the feature store's scheduled first pitch for the pitcher and date, else the odds
    feed's event start, else midnight UTC after the game date (neither known: any capture on or before the
    game date). A select of the lines' columns plus `closes_at`; `lines` and `features` name relations or
    CTEs shaped like stg_sportsbook__strikeout_lines and ml_feature_store. -#}
{% macro lines_before_first_pitch(lines, features) -%}
    select *
    from (

        select
            lines.*,
            coalesce(
                features.first_pitch_at,
                lines.event_start_at,
                cast({{ dbt.dateadd('day', 1, 'lines.game_date') }} as {{ dbt.type_timestamp() }})
            ) as closes_at

        from {{ lines }} as lines
        left join {{ features }} as features
            on
                lines.game_date = features.game_date
                and lines.pitcher_id = features.pitcher_id

    ) as captures
    where captures.captured_at < captures.closes_at
{%- endmacro %}
