{#- Gate market_brier_vs_book: over the trailing window (market_comparison, period_grain 'trailing'), a
    system whose Brier score of P(over) is worse than the book's no-vig price on the same starts WARNS — real
    books are sharp, and the product must say so every day instead of implying an edge; it ERRORS (at the
    project's severity, KZONE_TEST_SEVERITY) when the gap exceeds var('market_brier_error_milli')
    thousandths (0.025: a coin flip scores 0.250 against a sharp book's ~0.240, so 0.025 worse than the book
    is a broken model, not a sharp market; an honest Poisson forecast trails a sharp book by 0.005-0.012).
    Needs var('min_graded_for_mae_gate') decided starts. The failure count is the largest gap in thousandths
    of Brier, rounded up. -#}
{{ config(
    fail_calc='coalesce(cast(ceil(max(brier_gap_milli)) as ' ~ type_int64() ~ '), 0)',
    warn_if='>0',
    error_if='>' ~ var('market_brier_error_milli'),
) }}

with

comparison as (

    select * from {{ ref('market_comparison') }}
    where period_grain = 'trailing'

)

select
    system_id,
    n_decided_starts,
    system_brier,
    book_brier,
    1000 * (system_brier - book_brier) as brier_gap_milli
from comparison
where
    n_decided_starts >= {{ var('min_graded_for_mae_gate') }}
    and system_brier > book_brier
