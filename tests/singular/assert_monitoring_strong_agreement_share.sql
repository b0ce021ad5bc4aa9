{#- Gate monitoring_strong_agreement_share: over the trailing var('trailing_mae_days') days
    before as_of_date(), the share of pitcher-days where the components agree strongly (< 1 K apart) is at
    least var('min_strong_agreement_share') (0.30). The systems are meant to differ sometimes, but when
    fewer than three in ten pitchers get strongly agreeing forecasts the components no longer describe the
    same pitchers (a feature or a model broke). -#}

with

agreement as (

    select * from {{ ref('system_agreement') }}
    where
        game_date <= {{ as_of_date() }}
        and game_date > {{ dbt.dateadd('day', -1 * (var('trailing_mae_days') | int), as_of_date()) }}

),

overall as (

    select
        sum(n_pitchers_compared) as n_pitchers_compared,
        1.0 * sum(n_strong) / nullif(sum(n_pitchers_compared), 0) as share_strong

    from agreement

)

select * from overall
where share_strong < {{ var('min_strong_agreement_share') }}
