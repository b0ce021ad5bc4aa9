{#- Gate predictions_void_only_without_a_start: graded the sportsbook way, a prediction whose pitcher has a
    game log for the predicted game has action (win, loss, push or no_bet, whatever his outs), and one
    graded with action has such a game log. Checked against the staged game logs directly, not against the
    grading model's own flags. Landing rows (they carry a game id). -#}
with

predictions as (

    select * from {{ ref('fct_pitcher_strikeouts') }}
    where prediction_source = 'landing'

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

compared as (

    select
        predictions.prediction_id,
        predictions.game_date,
        predictions.pitcher_id,
        predictions.result,
        predictions.void_reason,
        starts.outs_recorded,
        starts.pitcher_id is not null as has_game_log

    from predictions
    left join starts
        on
            predictions.game_id = starts.game_id
            and predictions.pitcher_id = starts.pitcher_id

)

select * from compared
where
    (has_game_log and result not in ('win', 'loss', 'push', 'no_bet'))
    or (not has_game_log and result in ('win', 'loss', 'push', 'no_bet'))
