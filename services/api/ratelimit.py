"""The sign-in throttle's rule, without I/O: which subjects a sign-in counts against and how long
their failures make the next try wait.

A subject is the (account, client) pair, the client over all accounts (one client spraying many
accounts) and the account over all clients (a distributed attack on one account; not counted for
a client that signed in to the account before, so an attacker cannot slow its owner down there).
Each subject has free failures; past them each failure doubles the wait, up to a cap. Nothing
locks: the wait runs out by itself, and a success resets the pair.
"""

import hashlib
from dataclasses import dataclass


def account_key(email: str) -> str:
    """The account an e-mail address names, as stored (a hash: typed addresses stay private)."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def pair_subject(account: str, client: str) -> str:
    """The subject of sign-ins to ``account`` from ``client``: the one a success resets."""
    return f"pair:{account}:{client}"


@dataclass(frozen=True, slots=True)
class ThrottleRule:
    """Free failures per kind of subject and the doubling delay past them."""

    pair_free_failures: int
    client_free_failures: int
    account_free_failures: int
    first_delay_seconds: float
    max_delay_seconds: float

    def subjects(self, account: str, client: str, known_client: bool) -> dict[str, int]:
        """The subjects a sign-in of ``account`` from ``client`` counts against, with their free
        failures; the account's own subject only for a client that never signed in to it."""
        subjects = {
            pair_subject(account, client): self.pair_free_failures,
            f"client:{client}": self.client_free_failures,
        }
        if not known_client:
            subjects[f"account:{account}"] = self.account_free_failures
        return subjects

    def delay_seconds(self, failures: int, free_failures: int) -> float:
        """The wait after a subject's ``failures``-th failure: none while free, then the first
        delay, doubling per failure up to the cap."""
        if failures <= free_failures:
            return 0.0
        doublings = min(failures - free_failures - 1, 32)
        return float(min(self.max_delay_seconds, self.first_delay_seconds * 2**doublings))
