{#- Shrink an observed rate toward a prior with `pseudo` pseudo-observations:
    (numerator + pseudo x prior) / (denominator + pseudo). With no observations it is the prior itself;
    with a NULL prior it is NULL (never imputed). -#}
{% macro features_shrunk_rate(numerator, denominator, prior, pseudo) -%}
    (coalesce({{ numerator }}, 0) + {{ pseudo }} * {{ prior }})
    / nullif(coalesce({{ denominator }}, 0) + {{ pseudo }}, 0)
{%- endmacro %}

{#- A strikeout factor shrunk toward 1.0 (observed over expected strikeouts, with a Gamma(m, m) prior on
    the factor, i.e. m pseudo-strikeouts added to both): (observed + m) / (expected + m). NULL when there
    is no expectation at all (no earlier game), never a made-up 1.0. -#}
{% macro features_shrunk_factor(observed, expected, pseudo) -%}
    case
        when {{ expected }} > 0
            then
                cast(({{ observed }} + {{ pseudo }}) as {{ type_double() }})
                / ({{ expected }} + {{ pseudo }})
    end
{%- endmacro %}
