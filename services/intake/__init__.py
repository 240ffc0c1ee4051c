"""Intake: needs and offers in, validated, normalised, stored exactly once, registered onward."""
