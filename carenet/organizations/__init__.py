"""organizations feature."""
