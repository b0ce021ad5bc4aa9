"""The bridge to dbt: the project's vars read once (project), the runner (dbt in process), the offline BigQuery compile."""
