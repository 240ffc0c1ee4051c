"""Schakel's deployable services, one package each."""
