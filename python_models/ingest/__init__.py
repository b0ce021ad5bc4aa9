"""Feeds and files in: one HTTP client, one parser per feed, the id crosswalk."""
