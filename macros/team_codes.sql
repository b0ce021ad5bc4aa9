{#- Team codes as MLB abbreviations, through the team_codes seed (the one owner of the mapping): every
    column of `cte`, the `columns` replaced by the seed's team_code where the seed knows the code (else the
    code as loaded), and, with keep_retro_code, the first of them as loaded in `team_retro_code`. Used by
    the intermediate *_team_coded models, so staging stays one-to-one with its source. -#}
{% macro select_team_coded(cte, columns, keep_retro_code=false) -%}
    select
        {{ cte }}.* replace (
        {%- for column in columns %}
            coalesce(codes_{{ loop.index }}.team_code, {{ cte }}.{{ column }}) as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
        ){{ ',' if keep_retro_code }}
        {%- if keep_retro_code %}
        {{ cte }}.{{ columns[0] }} as team_retro_code
        {%- endif %}

    from {{ cte }}
    {%- for column in columns %}
    left join {{ ref('team_codes') }} as codes_{{ loop.index }}
        on {{ cte }}.{{ column }} = codes_{{ loop.index }}.retro_code
    {%- endfor %}
{%- endmacro %}
