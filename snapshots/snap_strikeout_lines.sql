{#- Line movement (SCD2): the current strikeout line per game date, pitcher and bookmaker — the latest
    capture before first pitch known at snapshot time (macro lines_before_first_pitch, the closing-line rule
    of int_closing_lines: before the feature store's scheduled first pitch, else the feed's event start,
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

with

lines as (

    select * from {{ ref('stg_sportsbook__strikeout_lines') }}

),

features as (

    select * from {{ ref('ml_feature_store') }}

),

captures as (

    {{ lines_before_first_pitch('lines', 'features') }}

),

ranked as (

    select
        captures.*,
        row_number() over (
            partition by captures.game_date, captures.pitcher_id, captures.bookmaker
            order by captures.captured_at desc
        ) as capture_rank

    from captures

)

select
    concat(cast(game_date as {{ dbt.type_string() }}), '|', pitcher_id, '|', bookmaker) as line_key,
    game_id,
    game_date,
    pitcher_id,
    pitcher_name,
    bookmaker,
    strikeouts_line,
    over_odds,
    under_odds,
    captured_at
from ranked
where capture_rank = 1

{% endsnapshot %}
