"""Catalog -> Markdown pages of the citizen site (Vietnamese); pure functions."""
