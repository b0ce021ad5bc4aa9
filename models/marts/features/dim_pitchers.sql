{#- One row per pitcher_id with the canonical `pitcher_lookup`: the slug of the pitcher's MOST RECENT
    name (real data renames: "Sammy Long" -> "Sam Long"). Two pitchers whose slugs collide: the one seen
    first keeps the plain slug, later ones get `_<pitcher_id>` appended, so an existing key never moves
    when a namesake debuts. -#}
with

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

probables as (

    select * from {{ ref('int_probable_starters_team_coded') }}

),

appearances as (

    select
        pitcher_id,
        pitcher_name,
        team,
        pitcher_throws,
        game_date,
        1 as source_priority

    from starts

    union all

    select
        pitcher_id,
        pitcher_name,
        team,
        pitcher_throws,
        game_date,
        2 as source_priority

    from probables

),

ranked as (

    select
        appearances.*,
        row_number() over (
            partition by appearances.pitcher_id
            order by appearances.game_date desc, appearances.source_priority asc, appearances.pitcher_name asc
        ) as recency_rank

    from appearances

),

summarised as (

    select
        pitcher_id,
        count(distinct pitcher_name) as name_count,
        min(game_date) as first_seen_date,
        max(game_date) as last_seen_date

    from appearances
    group by 1

),

latest as (

    select
        ranked.pitcher_id,
        ranked.pitcher_name,
        ranked.team,
        ranked.pitcher_throws,
        {{ slugify('ranked.pitcher_name') }} as name_slug

    from ranked
    where ranked.recency_rank = 1

),

starts_summary as (

    select
        pitcher_id,
        count(*) as career_starts,
        min(game_date) as first_start_date,
        max(game_date) as last_start_date

    from starts
    group by 1

),

collisions as (

    select
        latest.*,
        summarised.name_count,
        summarised.first_seen_date,
        summarised.last_seen_date,
        row_number() over (
            partition by latest.name_slug
            order by summarised.first_seen_date, latest.pitcher_id
        ) as slug_rank

    from latest
    inner join summarised on latest.pitcher_id = summarised.pitcher_id

),

final as (

    select
        collisions.pitcher_id,
        case
            when collisions.slug_rank = 1 then collisions.name_slug
            else concat(collisions.name_slug, '_', {{ slugify('collisions.pitcher_id') }})
        end as pitcher_lookup,
        collisions.pitcher_name,
        collisions.name_slug,
        collisions.team as latest_team,
        collisions.pitcher_throws,
        collisions.name_count,
        coalesce(starts_summary.career_starts, 0) as career_starts,
        collisions.slug_rank > 1 as is_lookup_suffixed,
        collisions.first_seen_date,
        collisions.last_seen_date,
        starts_summary.first_start_date,
        starts_summary.last_start_date

    from collisions
    left join starts_summary on collisions.pitcher_id = starts_summary.pitcher_id

)

select * from final
