"""Tests of the HTTP API (services/api)."""
