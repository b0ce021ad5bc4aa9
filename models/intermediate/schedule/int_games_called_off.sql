{#- The games called off now: per game_id, the latest reported status (stg_schedule__game_statuses, by
    reported_at), kept when it is postponed, suspended or cancelled. A later report that the game is on
    again (a suspension lifted, a postponement reversed) drops it from here. A game rescheduled to another
    date is a new game_id there (its date is part of the id), scored on that date like any other game.
    int_predictions_graded withdraws the predictions of these games; prediction_coverage expects none. -#}
with

statuses as (

    select * from {{ ref('stg_schedule__game_statuses') }}

),

ranked as (

    select
        statuses.*,
        row_number() over (
            partition by statuses.game_id
            order by statuses.reported_at desc, statuses.loaded_at desc
        ) as report_rank

    from statuses

),

called_off as (

    select
        game_id,
        game_date,
        game_status,
        reported_at

    from ranked
    where report_rank = 1 and is_called_off

)

select * from called_off
