with

source as (

    {{ source_if_exists('scoring', 'predictions_landing') }}

),

renamed as (

    select
        source.prediction_id,
        source.system_id,
        source.model_version,
        source.game_id,
        source.pitcher_id,
        source.pitcher_lookup,
        trim(source.pitcher_name) as pitcher_name,
        source.team,
        source.opponent,
        lower(source.bookmaker) as bookmaker,
        upper(source.recommendation) as recommendation,
        source.red_flags,
        source.component_systems,
        source.books_seen,
        source.batch_id,
        cast(source.strikeouts_line as {{ type_double() }}) as strikeouts_line,
        cast(source.over_odds as {{ type_int64() }}) as over_odds,
        cast(source.under_odds as {{ type_int64() }}) as under_odds,
        cast(source.predicted_strikeouts as {{ type_double() }}) as predicted_strikeouts,
        cast(source.predicted_median as {{ type_double() }}) as predicted_median,
        cast(source.predicted_p10 as {{ type_double() }}) as predicted_p10,
        cast(source.predicted_p90 as {{ type_double() }}) as predicted_p90,
        source.strikeout_pmf,
        cast(source.p_over as {{ type_double() }}) as p_over,
        cast(source.p_under as {{ type_double() }}) as p_under,
        cast(source.p_push as {{ type_double() }}) as p_push,
        cast(source.market_p_over as {{ type_double() }}) as market_p_over,
        cast(source.pick_p_over as {{ type_double() }}) as pick_p_over,
        cast(source.market_weight as {{ type_double() }}) as market_weight,
        cast(source.edge as {{ type_double() }}) as edge,
        cast(source.ev_over as {{ type_double() }}) as ev_over,
        cast(source.ev_under as {{ type_double() }}) as ev_under,
        cast(source.confidence as {{ type_double() }}) as confidence,
        cast(source.feature_coverage_pct as {{ type_double() }}) as feature_coverage_pct,
        cast(source.game_date as date) as game_date,
        source.line_captured_at,
        source.scored_at

    from source

)

select * from renamed
