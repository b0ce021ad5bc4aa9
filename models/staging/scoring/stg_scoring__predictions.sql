with

source as (

    {{ source_if_exists('scoring', 'predictions_landing', [
        'prediction_id:string', 'system_id:string', 'model_version:string', 'game_date:date',
        'game_id:string', 'pitcher_id:string', 'pitcher_lookup:string', 'pitcher_name:string',
        'team:string', 'opponent:string', 'bookmaker:string', 'strikeouts_line:float64',
        'over_odds:int64', 'under_odds:int64', 'line_captured_at:timestamp',
        'predicted_strikeouts:float64', 'p_over:float64', 'p_under:float64', 'p_push:float64',
        'edge:float64', 'ev_over:float64', 'ev_under:float64', 'recommendation:string',
        'confidence:float64', 'feature_coverage_pct:float64', 'red_flags:string',
        'component_systems:string', 'batch_id:string', 'scored_at:timestamp', 'row_hash:string']) }}

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
        source.batch_id,
        cast(source.strikeouts_line as {{ type_double() }}) as strikeouts_line,
        cast(source.over_odds as {{ type_int64() }}) as over_odds,
        cast(source.under_odds as {{ type_int64() }}) as under_odds,
        cast(source.predicted_strikeouts as {{ type_double() }}) as predicted_strikeouts,
        cast(source.p_over as {{ type_double() }}) as p_over,
        cast(source.p_under as {{ type_double() }}) as p_under,
        cast(source.p_push as {{ type_double() }}) as p_push,
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
