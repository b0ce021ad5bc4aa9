{#- Team games renamed and typed, one row per team per game. Team codes are normalised to MLB
    abbreviations with the team seed, as the other staging models do (a later sweep moves that join out
    of staging). -#}
with

source as (

    select * from {{ source('gamelogs', 'team_games') }}

),

teams as (

    select * from {{ ref('team_codes') }}

),

renamed as (

    select
        source.game_id,
        coalesce(team.team_code, source.team) as team,
        coalesce(opp.team_code, source.opponent) as opponent,
        source.team as team_retro_code,
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
    left join teams as team on source.team = team.retro_code
    left join teams as opp on source.opponent = opp.retro_code

)

select * from renamed
