"""Keeping the cyclic garbage collector's full passes off the postings a matcher holds.

A matcher holds every open posting of its groups and their lists: hundreds of thousands of
objects that live as long as the process and are never cyclic garbage. A full collection scans
all of them (about 0.2-0.5 s with 100,000 offers held, on this machine's shared cores): one such
pause during a steady stream of needs delays every need behind it, so it sets the latency's tail.
Start-up freezes what it loaded (``MatcherService.warm_up``); postings taken up later (another
instance's writes, a bulk load, days of new offers) would be scanned again, so each time the
postings held grew by ``FREEZE_STEP`` since the last freeze, they are frozen too. A frozen object
is still freed when its last reference goes (a closed posting); only cyclic garbage caught in a
freeze stays, and freezes are that rare.
"""

import gc

FREEZE_STEP = 10_000  # postings held beyond the last freeze that make the next one


class HeldPostings:
    """How many postings were held at the last freeze of the collector's tracked objects."""

    def __init__(self, step: int = FREEZE_STEP) -> None:
        self._step = step
        self._frozen_at = 0

    def frozen(self, held: int) -> None:
        """The collector's objects were just frozen with ``held`` postings held."""
        self._frozen_at = held

    def now_holding(self, held: int) -> bool:
        """Freeze the tracked objects when ``held`` is ``step`` or more beyond the last freeze
        (postings that closed meanwhile lower that mark); whether it froze."""
        if held - self._frozen_at < self._step:
            self._frozen_at = min(self._frozen_at, held)
            return False
        gc.freeze()
        self._frozen_at = held
        return True
