"""Shared plumbing: configuration, database, errors, logging, security."""
