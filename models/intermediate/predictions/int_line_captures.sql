{#- Every line capture a book posted before its game began (macro lines_before_first_pitch: before the
    feature store's scheduled first pitch, else the odds feed's event start, else midnight UTC after the
    game date), with that bound as `closes_at`. The one relation the capture rule is read from: the closing
    line (int_closing_lines) is the last of them; the scorer takes each book's latest before its morning
    cut-off, a runtime value it applies in its own query (python_models/features/store.py). -#}
with

lines as (

    select * from {{ ref('stg_sportsbook__strikeout_lines') }}

),

features as (

    select * from {{ ref('ml_feature_store') }}

),

captures as (

    {{ lines_before_first_pitch('lines', 'features') }}

)

select * from captures
