"""The sign-in throttle in PostgreSQL, so every API instance counts the same failures.

An attempt is counted as failed before its password is checked (``claim``, its own transaction)
and taken back when it succeeds (``succeeded``, in the sign-in's transaction): parallel guesses
cannot slip past the count. The subjects' rows are locked for the few statements of a claim,
never while a password is checked.
"""

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.api.ratelimit import ThrottleRule, pair_subject
from services.api.tables import SignInClientRow, SignInFailureRow


class SignInThrottle:
    """Counts failed sign-ins per subject of ``rule``; forgets them ``forget_seconds`` after
    their wait ended, and known clients ``known_client_seconds`` after their last sign-in."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        rule: ThrottleRule,
        forget_seconds: float,
        known_client_seconds: float,
    ) -> None:
        self._sessions = sessions
        self._rule = rule
        self._forget = timedelta(seconds=forget_seconds)
        self._known_for = timedelta(seconds=known_client_seconds)

    async def claim(self, account: str, client: str) -> float | None:
        """Count a sign-in of ``account`` from ``client`` as failed; or, while one of its subjects
        still waits, count nothing and answer the seconds left."""
        async with self._sessions.begin() as session:
            subjects, rows = await self._locked(session, account, client, datetime.now(UTC))
            # The clock is read once the rows are locked: a claim that waited for the lock would
            # otherwise find the wait the claim before it set from a later time still running.
            now = datetime.now(UTC)
            wait = max((row.blocked_until - now).total_seconds() for row in rows.values())
            if wait > 0:
                return wait
            for subject, free_failures in subjects.items():
                await self._count(session, rows[subject], free_failures, now, +1)
            forgotten = SignInFailureRow.blocked_until < now - self._forget
            await session.execute(delete(SignInFailureRow).where(forgotten))
        return None

    async def succeeded(self, session: AsyncSession, account: str, client: str) -> None:
        """Take back the claim of a sign-in that succeeded, in ``session``'s transaction: the
        pair starts afresh, and ``client`` is known to ``account`` from now on."""
        now = datetime.now(UTC)
        subjects, rows = await self._locked(session, account, client, now)
        pair = pair_subject(account, client)
        del subjects[pair]
        await session.execute(delete(SignInFailureRow).where(SignInFailureRow.subject == pair))
        for subject, free_failures in subjects.items():
            await self._count(session, rows[subject], free_failures, now, -1)
        await session.execute(
            insert(SignInClientRow)
            .values(account=account, client=client, signed_in_at=now)
            .on_conflict_do_update(
                index_elements=[SignInClientRow.account, SignInClientRow.client],
                set_={"signed_in_at": now},
            )
        )
        stale = SignInClientRow.signed_in_at < now - self._known_for
        await session.execute(delete(SignInClientRow).where(stale))

    async def _locked(
        self, session: AsyncSession, account: str, client: str, now: datetime
    ) -> tuple[dict[str, int], dict[str, SignInFailureRow]]:
        """The subjects of the sign-in with their free failures, and their rows: created if
        missing and locked, in one order (no deadlock between two sign-ins)."""
        known = await session.get(SignInClientRow, (account, client))
        subjects = self._rule.subjects(
            account, client, known is not None and known.signed_in_at >= now - self._known_for
        )
        new_rows = [{"subject": s, "failures": 0, "blocked_until": now} for s in sorted(subjects)]
        await session.execute(insert(SignInFailureRow).values(new_rows).on_conflict_do_nothing())
        rows = await session.scalars(
            select(SignInFailureRow)
            .where(SignInFailureRow.subject.in_(subjects))
            .order_by(SignInFailureRow.subject)
            .with_for_update()
        )
        return subjects, {row.subject: row for row in rows}

    async def _count(
        self,
        session: AsyncSession,
        row: SignInFailureRow,
        free_failures: int,
        now: datetime,
        step: int,
    ) -> None:
        """Add ``step`` to the failures of ``row`` (from zero once forgotten) and set its wait."""
        forgotten = row.blocked_until < now - self._forget
        failures = max(0, (0 if forgotten else row.failures) + step)
        delay = timedelta(seconds=self._rule.delay_seconds(failures, free_failures))
        await session.execute(
            update(SignInFailureRow)
            .where(SignInFailureRow.subject == row.subject)
            .values(failures=failures, blocked_until=now + delay)
        )
