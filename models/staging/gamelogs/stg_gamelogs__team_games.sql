{#- Team games renamed and typed, one row per team per game, team codes as loaded (Retrosheet):
    int_team_games_team_coded maps them to MLB abbreviations. -#}
{#- Its data tests read only the rows dated on or after var('tests_since_date') when it is set
    (macros/tests_scope.sql). -#}
{{ config(meta={'tests_since_column': 'game_date'}) }}
with

source as (

    select * from {{ source('gamelogs', 'team_games') }}

),

renamed as (

    select
        source.game_id,
        source.team,
        source.opponent,
        source.manager_id,
        source.starter_id,
        source.lineup_ids,
        cast(source.season as {{ dbt.type_int() }}) as season,
        cast(source.game_number as {{ dbt.type_int() }}) as game_number,
        cast(source.batting_pa as {{ dbt.type_int() }}) as batting_pa,
        cast(source.batting_ab as {{ dbt.type_int() }}) as batting_ab,
        cast(source.batting_strikeouts as {{ dbt.type_int() }}) as batting_strikeouts,
        cast(source.batting_walks as {{ dbt.type_int() }}) as batting_walks,
        cast(source.batting_hits as {{ dbt.type_int() }}) as batting_hits,
        cast(source.batting_home_runs as {{ dbt.type_int() }}) as batting_home_runs,
        cast(source.runs as {{ dbt.type_int() }}) as runs,
        cast(source.pitching_outs as {{ dbt.type_int() }}) as pitching_outs,
        cast(source.pitchers_used as {{ dbt.type_int() }}) as pitchers_used,
        cast(source.starter_batters_faced as {{ dbt.type_int() }}) as starter_batters_faced,
        source.is_home,
        cast(source.game_date as date) as game_date,
        source._loaded_at as loaded_at

    from source

)

select * from renamed
