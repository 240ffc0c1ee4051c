"""How each person wants to hear of each kind of notification: a mail at once, a line in the
daily digest, or no mail (the inbox keeps everything either way).

The choices belong to the accounts: the pages and the CLI change them (``choose``), the notifier
reads them when it routes a notification (``choices_by_email``). A kind without a row of its own
is mailed at once, as before anyone chose. Mails about one's own account (passwords,
invitations, the address check) always go out and are not a choice.
"""

from collections.abc import Iterable, Mapping
from typing import Literal

from sqlalchemy import CheckConstraint, ForeignKey, String, delete, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from shared.accounts import UserRow
from shared.db import Base

MailChoice = Literal["immediate", "daily", "off"]
MAIL_CHOICES: tuple[MailChoice, ...] = ("immediate", "daily", "off")
DEFAULT_CHOICE: MailChoice = "immediate"
# The kinds of notification a role hears of, in the order the preferences page lists them.
KINDS_OF_ROLE: dict[str, tuple[str, ...]] = {
    "coordinator": ("suggestion", "reminder", "replacement_missing", "application"),
    "school": ("accepted", "revoked"),
    "provider": ("accepted", "revoked"),
}


class ChoiceRefused(ValueError):  # noqa: N818 - reads as the page's 422
    """A kind the role does not hear of, or a choice that does not exist."""


class MailChoiceRow(Base):
    """One person's choice for one kind of notification (only those not at once are kept)."""

    __tablename__ = "mail_choices"
    __table_args__ = (CheckConstraint("choice IN ('immediate', 'daily', 'off')", name="choice"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(24), primary_key=True)
    choice: Mapped[str] = mapped_column(String(10))


async def choices_of(session: AsyncSession, user_id: int) -> dict[str, MailChoice]:
    """One person's choices by kind (kinds without a row: at once)."""
    rows = await session.execute(
        select(MailChoiceRow.kind, MailChoiceRow.choice).where(MailChoiceRow.user_id == user_id)
    )
    return {kind: _choice(choice) for kind, choice in rows.tuples()}


async def choices_by_email(
    session: AsyncSession, emails: Iterable[str]
) -> dict[str, dict[str, MailChoice]]:
    """The choices of the users with these addresses, by lower-case address; an address that is
    no user's, or whose user chose nothing, is absent (everything at once)."""
    wanted = {email.strip().lower() for email in emails}
    if not wanted:
        return {}
    rows = await session.execute(
        select(UserRow.email, MailChoiceRow.kind, MailChoiceRow.choice)
        .join(MailChoiceRow, MailChoiceRow.user_id == UserRow.id)
        .where(UserRow.email.in_(wanted))  # kept in lower case (ck_users_email_lower_case)
    )
    found: dict[str, dict[str, MailChoice]] = {}
    for email, kind, choice in rows.tuples():
        found.setdefault(email, {})[kind] = _choice(choice)
    return found


async def choose(
    session: AsyncSession, user_id: int, role: str, choices: Mapping[str, str]
) -> None:
    """Keep ``choices`` (kind -> choice) of a user of ``role``; kinds not named keep theirs.
    ChoiceRefused, with nothing changed, for a kind the role does not hear of or an unknown
    choice."""
    kinds = KINDS_OF_ROLE.get(role, ())
    for kind, choice in choices.items():
        if kind not in kinds or choice not in MAIL_CHOICES:
            raise ChoiceRefused(
                "Kies voor elke melding: meteen, in het dagelijks overzicht of uit."
            )
    for kind, choice in choices.items():
        if choice == DEFAULT_CHOICE:
            await session.execute(
                delete(MailChoiceRow).where(
                    MailChoiceRow.user_id == user_id, MailChoiceRow.kind == kind
                )
            )
            continue
        row = {"user_id": user_id, "kind": kind, "choice": choice}
        await session.execute(
            insert(MailChoiceRow)
            .values(row)
            .on_conflict_do_update(index_elements=["user_id", "kind"], set_={"choice": choice})
        )


def _choice(value: str) -> MailChoice:
    return "daily" if value == "daily" else "off" if value == "off" else "immediate"
