{#- The team games: the one place their team codes become MLB abbreviations
    (macro select_team_coded, the team_codes seed); staging stays one-to-one with its source. -#}
with

staged as (

    select * from {{ ref('stg_gamelogs__team_games') }}

),

team_coded as (

    {{ select_team_coded('staged', ['team', 'opponent'], keep_retro_code=true) }}

)

select * from team_coded
