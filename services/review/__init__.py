"""Review: the one owner of what coordinators decide on.

Suggestions with their status, decisions, the capacity offers have used and what needs have been
given live here and change only through this package, each decision in one transaction under row
locks. The web API decides through it; the notifier keeps it up to date from the pipeline's events
and tells people what changed.
"""
