{#- The row-level rules of a prediction, in ONE place: every row of int_predictions_unioned, tagged with the
    rules it breaks. A row that breaks any rule is held back: int_predictions_graded (hence
    pitcher_strikeouts, todays_picks and every view a consumer reads) selects only rows whose
    quarantine_rule is NULL, and predictions_quarantine keeps the others with the rule and the run. So the
    gates' severity never decides whether a bad row is published. The ranges are dbt_project.yml's vars
    (prediction_range, line_range, odds_abs_range), which the scorer and the line loaders read too.
    Rules, in the order quarantine_rule reports the first one broken:
    - unknown_system: system_id NULL or not in var('systems');
    - prediction_out_of_range: predicted_strikeouts NULL, NaN or outside var('prediction_range');
    - unknown_pitcher (scorer rows): pitcher_id NULL or never seen (not in dim_pitchers). A legacy row
      without a pitcher is `unresolved` instead (graded, counted by its own gate);
    - game_not_scheduled (scorer rows): no probable starter, no scratch and no start for its game_id and
      team (either team code: a Retrosheet code is mapped through the team_codes seed);
    - line_out_of_range: a line outside var('line_range') or not a half or whole number;
    - odds_out_of_range: a line whose over or under price is missing or whose magnitude lies outside
      var('odds_abs_range');
    - probabilities_invalid: p_over, p_under, p_push outside [0, 1] or not summing to 1 (1e-6).
    A starter replaced by a later announcement, or scratched with no replacement yet
    (int_probable_starters_scratched), is not a bad row: his prediction stays, `withdrawn`
    (int_predictions_graded), and is never a pick. -#}
{%- set prediction_range = var('prediction_range') -%}
{%- set line_range = var('line_range') -%}
{%- set odds_range = var('odds_abs_range') -%}
{%- set rules = [
    'unknown_system', 'prediction_out_of_range', 'unknown_pitcher', 'game_not_scheduled',
    'line_out_of_range', 'odds_out_of_range', 'probabilities_invalid'] -%}

with

predictions as (

    select * from {{ ref('int_predictions_unioned') }}

),

pitchers as (

    select * from {{ ref('dim_pitchers') }}

),

probables as (

    select * from {{ ref('int_probable_starters_team_coded') }}

),

scratched as (

    select * from {{ ref('int_probable_starters_scratched') }}

),

starts as (

    select * from {{ ref('int_pitcher_starts_team_coded') }}

),

team_codes as (

    select * from {{ ref('team_codes') }}

),

team_games as (

    select
        game_id,
        team

    from probables

    union all

    -- a scratched starter's game is still on: his prediction is withdrawn (graded), not held back
    select
        game_id,
        team

    from scratched

    union all

    select
        game_id,
        team

    from starts

),

scheduled_team_games as (

    select distinct
        game_id,
        team

    from team_games

),

tested as (

    select
        predictions.*,
        coalesce(
            predictions.system_id not in {{ sql_string_list(kzone_system_ids()) }}, true
        ) as breaks_unknown_system,
        not coalesce(
            predictions.predicted_strikeouts between {{ prediction_range[0] }} and {{ prediction_range[1] }},
            false
        ) as breaks_prediction_out_of_range,
        predictions.prediction_source = 'landing'
        and pitchers.pitcher_id is null as breaks_unknown_pitcher,
        predictions.prediction_source = 'landing'
        and scheduled_team_games.game_id is null as breaks_game_not_scheduled,
        predictions.strikeouts_line is not null
        and not coalesce(
            predictions.strikeouts_line between {{ line_range[0] }} and {{ line_range[1] }}
            and predictions.strikeouts_line * 2 = floor(predictions.strikeouts_line * 2),
            false
        ) as breaks_line_out_of_range,
        predictions.strikeouts_line is not null
        and not coalesce(
            abs(predictions.over_odds) between {{ odds_range[0] }} and {{ odds_range[1] }}
            and abs(predictions.under_odds) between {{ odds_range[0] }} and {{ odds_range[1] }},
            false
        ) as breaks_odds_out_of_range,
        predictions.p_over is not null
        and not coalesce(
            predictions.p_over between 0 and 1
            and predictions.p_under between 0 and 1
            and predictions.p_push between 0 and 1
            and abs(predictions.p_over + predictions.p_under + predictions.p_push - 1) < 0.000001,
            false
        ) as breaks_probabilities_invalid

    from predictions
    left join pitchers
        on predictions.pitcher_id = pitchers.pitcher_id
    -- the row's team as an MLB abbreviation, like the team-coded schedule (a Retrosheet code is mapped)
    left join team_codes
        on predictions.team = team_codes.retro_code
    left join scheduled_team_games
        on
            predictions.game_id = scheduled_team_games.game_id
            and coalesce(team_codes.team_code, predictions.team) = scheduled_team_games.team

),

{#- The value that broke each rule, for the quarantine's one-line detail. -#}
{%- set details = {
    'unknown_system': "concat('system_id ', coalesce(tested.system_id, 'NULL'), ' is not in vars.systems')",
    'prediction_out_of_range': "concat('predicted_strikeouts ', coalesce(cast(tested.predicted_strikeouts as "
        ~ dbt.type_string() ~ "), 'NULL'), ' outside [" ~ prediction_range[0] ~ ", " ~ prediction_range[1] ~ "]')",
    'unknown_pitcher': "concat('pitcher_id ', coalesce(tested.pitcher_id, 'NULL'), ' is not a known pitcher')",
    'game_not_scheduled': "concat('no game ', coalesce(tested.game_id, 'NULL'), ' for team ', "
        ~ "coalesce(tested.team, 'NULL'), ' in the schedule or the game logs')",
    'line_out_of_range': "concat('strikeouts_line ', cast(tested.strikeouts_line as " ~ dbt.type_string()
        ~ "), ' outside [" ~ line_range[0] ~ ", " ~ line_range[1] ~ "] or not a half or whole number')",
    'odds_out_of_range': "concat('odds ', coalesce(cast(tested.over_odds as " ~ dbt.type_string()
        ~ "), 'NULL'), ' / ', coalesce(cast(tested.under_odds as " ~ dbt.type_string()
        ~ "), 'NULL'), ' outside +/-[" ~ odds_range[0] ~ ", " ~ odds_range[1] ~ "]')",
    'probabilities_invalid': "'p_over, p_under, p_push outside [0, 1] or not summing to 1'",
} %}

tagged as (

    select
        tested.*,
        case
            {%- for rule in rules %}
                when tested.breaks_{{ rule }} then '{{ rule }}'
            {%- endfor %}
        end as quarantine_rule,
        nullif(rtrim(concat(
            {%- for rule in rules %}
                case when tested.breaks_{{ rule }} then '{{ rule }},' else '' end
                {{- ',' if not loop.last }}
            {%- endfor %}
        ), ','), '') as quarantine_rules,
        case
            {%- for rule in rules %}
                when tested.breaks_{{ rule }} then {{ details[rule] }}
            {%- endfor %}
        end as quarantine_detail

    from tested

)

select * from tagged
