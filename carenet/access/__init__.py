"""access feature."""
