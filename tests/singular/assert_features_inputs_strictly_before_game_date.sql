{#- Fails on every feature row (store and intermediates) that read a game on or after its own date: the
    newest input date recorded by EACH window family must lie strictly before game_date. Every
    (relation, window family) pair is checked on its own, so a violation names the family that leaked. -#}
{%- set checks = [
    ('ml_feature_store', 'pitcher_id', 'pitcher_last_input_date'),
    ('ml_feature_store', 'pitcher_id', 'prior_start_date'),
    ('ml_feature_store', 'pitcher_id', 'opp_last_input_date'),
    ('ml_feature_store', 'pitcher_id', 'opp_bat_last_input_date'),
    ('ml_feature_store', 'pitcher_id', 'park_last_input_date'),
    ('ml_feature_store', 'pitcher_id', 'umpire_last_input_date'),
    ('ml_feature_store', 'pitcher_id', 'manager_last_input_date'),
    ('ml_feature_store', 'pitcher_id', 'bullpen_last_input_date'),
    ('int_pitcher_starts_windowed', 'pitcher_id', 'last_input_game_date'),
    ('int_pitcher_starts_windowed', 'pitcher_id', 'prior_start_date'),
    ('int_opponent_games_windowed', 'opponent', 'last_input_game_date'),
    ('int_opponent_batting_windowed', 'opponent', 'last_input_game_date'),
    ('int_park_games_windowed', 'park_id', 'last_input_game_date'),
    ('int_umpire_games_windowed', 'umpire_home_id', 'last_input_game_date'),
    ('int_manager_games_windowed', 'manager_id', 'last_input_game_date'),
    ('int_bullpen_games_windowed', 'team', 'last_input_game_date'),
    ('int_league_days_windowed', 'season', 'last_input_game_date'),
] -%}

with

inputs as (

    {% for relation_name, key_column, date_column in checks -%}
        {% if not loop.first -%}
            union all
        {% endif -%}
        select
            '{{ relation_name }}' as relation_name,
            '{{ date_column }}' as input_family,
            cast({{ key_column }} as {{ dbt.type_string() }}) as row_key,
            game_date,
            {{ date_column }} as newest_input_date
        from {{ ref(relation_name) }}
    {% endfor %}
)

select * from inputs
where newest_input_date >= game_date
