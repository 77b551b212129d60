"""Reads for deciding: `dashboard` (the chairs' table) and `summary` (its totals)."""
