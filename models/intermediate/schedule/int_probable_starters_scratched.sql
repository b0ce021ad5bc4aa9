{#- The team-games whose starter is scratched with no replacement announced yet: the latest announcement
    of the game and team (stg_schedule__probable_starters) is a scratch row, no pitcher. The game is still
    on (int_predictions_checked counts it as scheduled); int_predictions_graded withdraws the predictions
    made for it, like those of a replaced starter. A later announcement (a replacement, or the same pitcher
    again) replaces the scratch in the source and drops the row from here. -#}
with

scratches as (

    select
        game_id,
        game_date,
        team,
        opponent,
        announced_at as scratched_at

    from {{ ref('stg_schedule__probable_starters') }}
    where is_scratched

),

team_coded as (

    {{ select_team_coded('scratches', ['team', 'opponent']) }}

)

select * from team_coded
