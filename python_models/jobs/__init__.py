"""The jobs: the bodies of the long-running commands (demo, daily, backfill, evaluate)."""
