{#- The probable starters: the one place their team codes become MLB abbreviations
    (macro select_team_coded, the team_codes seed); staging stays one-to-one with its source. -#}
with

staged as (

    select * from {{ ref('stg_schedule__probable_starters') }}

),

team_coded as (

    {{ select_team_coded('staged', ['team', 'opponent']) }}

)

select * from team_coded
