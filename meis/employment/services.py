"""Writes of the employment service (placeholder until the services land)."""
