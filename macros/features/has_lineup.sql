{#- True when the row under `relation_alias` carries an opposing lineup: its three handedness counts are
    known (the loaders write all of them or none; a partial announcement counts as none). -#}
{% macro features_has_lineup(relation_alias) -%}
    (
        {{ relation_alias }}.opp_lineup_lhb is not null
        and {{ relation_alias }}.opp_lineup_rhb is not null
        and {{ relation_alias }}.opp_lineup_swb is not null
    )
{%- endmacro %}
