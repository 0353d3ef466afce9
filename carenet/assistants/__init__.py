"""assistants feature."""
