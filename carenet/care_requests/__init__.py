"""care requests feature."""
