"""Placements feature (brokering)."""
