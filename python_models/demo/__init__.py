"""Synthetic data: the demo league and its books, and the synthetic book priced for real starts."""
