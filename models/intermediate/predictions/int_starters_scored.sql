{#- Per game date, current starter (the feature store's pitcher of each team-game: the actual starter once the
    game is played, else the latest announcement) and declared system (var('systems')): whether the scorer's
    landing table holds that system's row for him, matched by pitcher id. A replaced starter's rows do not
    count. The backfill's resume rule reads it (python_models/jobs/backfill.py): a date is complete when every
    starter is scored by every ACTIVE system, a runtime setting it applies in its own query. -#}
with

starters as (

    select
        game_date,
        pitcher_id

    from {{ ref('ml_feature_store') }}

),

landing as (

    select * from {{ ref('stg_scoring__predictions') }}

),

systems as (

    {{ system_id_rows(kzone_system_ids()) }}

),

scored as (

    select distinct
        game_date,
        pitcher_id,
        system_id

    from landing

),

final as (

    select
        starters.game_date,
        starters.pitcher_id,
        systems.system_id,
        scored.system_id is not null as is_scored

    from starters
    cross join systems
    left join scored
        on
            starters.game_date = scored.game_date
            and starters.pitcher_id = scored.pitcher_id
            and systems.system_id = scored.system_id

)

select * from final
