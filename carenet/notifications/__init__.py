"""Notifications feature (brokering)."""
