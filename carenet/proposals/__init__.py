"""Proposals feature (brokering)."""
