{#- IL status over time (SCD2): who is on the injured list, with which status, as of the latest scrape.
    A pitcher who leaves the list disappears from the scrape: hard_deletes='invalidate' closes his row.
    Classic block (sqlfluff does not lint snapshots). -#}
{% snapshot snap_injured_list_status %}

{{ config(
    unique_key='pitcher_id',
    strategy='check',
    check_cols=['il_status', 'team'],
    hard_deletes='invalidate',
) }}

with

entries as (

    select * from {{ ref('int_injured_list_team_coded') }}

),

latest_scrape as (

    select max(scraped_date) as scraped_date
    from entries

),

ranked as (

    select
        entries.*,
        row_number() over (partition by entries.pitcher_id order by entries.scraped_at desc) as scrape_rank

    from entries
    inner join latest_scrape
        on entries.scraped_date = latest_scrape.scraped_date

)

select
    pitcher_id,
    pitcher_name,
    team,
    il_status,
    scraped_at
from ranked
where scrape_rank = 1

{% endsnapshot %}
