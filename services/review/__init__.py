"""Review: the one owner of what coordinators decide on.

Suggestions with their status, decisions, the capacity offers have used and what needs have been
given live here and change only through this package, each decision in one transaction under row
locks. The web API decides and reads through it (``actors``: who may see and decide where;
``queries`` and ``queue``: what they see; ``decisions``, ``rounds``, ``proposals``, ``stats``;
the parties' journey after acceptance: ``journey``, ``steps``, ``ratings``);
the notifier keeps it up to date from the pipeline's events (``postings``, ``suggestions``) and
tells people what changed. Its ``tables`` are its own (``lint-imports``). Every transaction that
changes what a review queue shows bumps that region's queue version (``changes``, listening on
every session from the first import of this package on).
"""

from services.review import changes as changes
