{#- Line movement (SCD2): the current strikeout line per game date, pitcher and bookmaker — the latest
    capture before first pitch known at snapshot time (int_closing_lines, macro lines_before_first_pitch:
    before the feature store's scheduled first pitch, else the feed's event start,
    else midnight UTC after the game date). A capture taken once the game is under way never becomes a
    version. Each `dbt snapshot` / `dbt build` that sees a new capture closes the previous version
    (dbt_valid_to) and opens a new one. Classic block (sqlfluff does not lint snapshots). -#}
{% snapshot snap_strikeout_lines %}

{{ config(
    unique_key='line_key',
    strategy='timestamp',
    updated_at='captured_at',
    hard_deletes='ignore',
) }}

select
    concat(cast(game_date as {{ dbt.type_string() }}), '|', pitcher_id, '|', bookmaker) as line_key,
    game_id,
    game_date,
    pitcher_id,
    pitcher_name,
    bookmaker,
    closing_line as strikeouts_line,
    closing_over_odds as over_odds,
    closing_under_odds as under_odds,
    closing_captured_at as captured_at
from {{ ref('int_closing_lines') }}

{% endsnapshot %}
