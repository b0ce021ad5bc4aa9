{#- The probable starters announced now: the one place their team codes become MLB abbreviations
    (macro select_team_coded, the team_codes seed); staging stays one-to-one with its source. A scratch
    (the latest announcement names no starter) is not a starter: int_probable_starters_scratched holds it. -#}
with

staged as (

    select * from {{ ref('stg_schedule__probable_starters') }}
    where not is_scratched

),

team_coded as (

    {{ select_team_coded('staged', ['team', 'opponent']) }}

)

select * from team_coded
