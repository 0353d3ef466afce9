"""matchmaking feature."""
