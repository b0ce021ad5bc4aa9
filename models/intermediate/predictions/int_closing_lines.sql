{#- Per game date, pitcher and bookmaker: the closing line — the last capture before first pitch (the
    feature store's scheduled first pitch, else the odds feed's event start; where neither is known, any
    capture on or before the game date: int_line_captures, the rule snap_strikeout_lines
    versions from here) — and how many captures before it there were. What closing-line value compares a pick with. -#}
with

captures as (

    select * from {{ ref('int_line_captures') }}

),

ranked as (

    select
        captures.*,
        row_number() over (
            partition by captures.game_date, captures.pitcher_id, captures.bookmaker
            order by captures.captured_at desc
        ) as recency_rank,
        count(*) over (
            partition by captures.game_date, captures.pitcher_id, captures.bookmaker
        ) as n_captures

    from captures

),

closing as (

    select
        game_date,
        pitcher_id,
        bookmaker,
        game_id,
        pitcher_name,
        strikeouts_line as closing_line,
        over_odds as closing_over_odds,
        under_odds as closing_under_odds,
        captured_at as closing_captured_at,
        n_captures

    from ranked
    where recency_rank = 1

)

select * from closing
