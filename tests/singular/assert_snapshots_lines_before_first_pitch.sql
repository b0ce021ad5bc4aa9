{#- Gate snapshots_lines_before_first_pitch: no version of snap_strikeout_lines, current or closed, was
    captured at or after its game's known first pitch (the feature store's scheduled first pitch for the
    pitcher and date). A line posted once the game is under way is not a pre-game line; it must never
    become the current line nor stay in the history. Checked against the feature store directly, not
    through the macro the snapshot filters with. -#}
with

versions as (

    select * from {{ ref('snap_strikeout_lines') }}

),

features as (

    select * from {{ ref('ml_feature_store') }}

),

late_versions as (

    select
        versions.line_key,
        versions.game_date,
        versions.pitcher_id,
        versions.bookmaker,
        versions.strikeouts_line,
        versions.captured_at,
        features.first_pitch_at,
        versions.dbt_valid_from,
        versions.dbt_valid_to

    from versions
    inner join features
        on
            versions.game_date = features.game_date
            and versions.pitcher_id = features.pitcher_id
    where versions.captured_at >= features.first_pitch_at

)

select * from late_versions
