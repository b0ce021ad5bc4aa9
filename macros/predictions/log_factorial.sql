{#- ln(k!) for a whole number k >= 0, portable (BigQuery has no lgamma): exact constants up to 30
    (strikeouts never exceed 27 outs' worth), Stirling's approximation beyond. Used by the Poisson
    log loss in system_performance. -#}
{% macro log_factorial(expr) -%}
    {%- set constants = [0.0, 0.0, 0.693147, 1.791759, 3.178054, 4.787492, 6.579251, 8.525161, 10.604603,
        12.801827, 15.104413, 17.502308, 19.987214, 22.552164, 25.191221, 27.899271, 30.67186, 33.505073,
        36.395445, 39.339884, 42.335616, 45.380139, 48.471181, 51.606676, 54.784729, 58.003605, 61.261702,
        64.557539, 67.889743, 71.257039, 74.658236] -%}
    case {{ expr }}
        {%- for value in constants %}
        when {{ loop.index0 }} then {{ value }}
        {%- endfor %}
        else {{ expr }} * ln({{ expr }}) - {{ expr }} + 0.5 * ln(2 * 3.141592653589793 * {{ expr }})
    end
{%- endmacro %}
