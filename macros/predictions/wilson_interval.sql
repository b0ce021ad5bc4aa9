{#- Bounds of the Wilson score interval for a proportion successes / trials (z = 1.96: 95%).
    NULL when trials = 0. Better than the normal interval for small samples and rates near 0 or 1. -#}
{% macro wilson_interval(successes, trials, bound, z=1.96) -%}
    {%- set n = 'nullif(' ~ trials ~ ', 0)' -%}
    {%- set p = '(1.0 * ' ~ successes ~ ' / ' ~ n ~ ')' -%}
    {%- set z2 = z * z -%}
    (
        ({{ p }} + {{ z2 }} / (2.0 * {{ n }}))
        {{ '-' if bound == 'lower' else '+' }} {{ z }} * sqrt({{ p }} * (1 - {{ p }}) / {{ n }} + {{ z2 }} / (4.0 * {{ n }} * {{ n }}))
    ) / (1 + {{ z2 }} / {{ n }})
{%- endmacro %}
