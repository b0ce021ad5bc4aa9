{#- The injured-list entries: the one place their team codes become MLB abbreviations
    (macro select_team_coded, the team_codes seed); staging stays one-to-one with its source. -#}
with

staged as (

    select * from {{ ref('stg_injuries__injured_list_entries') }}

),

team_coded as (

    {{ select_team_coded('staged', ['team']) }}

)

select * from team_coded
