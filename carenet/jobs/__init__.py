"""Jobs feature (brokering)."""
