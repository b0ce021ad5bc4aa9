{#- Line movement (SCD2): the current strikeout line per game date, pitcher and bookmaker (the latest
    capture before first pitch known at snapshot time). Each `dbt snapshot` / `dbt build` that sees a new
    capture closes the previous version (dbt_valid_to) and opens a new one. Classic block (sqlfluff does not
    lint snapshots). -#}
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

ranked as (

    select
        lines.*,
        row_number() over (
            partition by lines.game_date, lines.pitcher_id, lines.bookmaker
            order by lines.captured_at desc
        ) as capture_rank

    from lines

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
