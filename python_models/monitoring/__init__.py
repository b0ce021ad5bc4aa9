"""Monitoring: what people look at — the static HTML/PNG performance report (`kzone report`)."""
