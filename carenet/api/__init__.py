"""api feature."""
