"""Who is calling: the signed-in user with the organisation it acts for."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

from sqlalchemy import Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.sign_ins import live_session, live_token, touch_due
from services.api.tables import ApiTokenRow, BrowserSessionRow
from services.notifier.notifications import inbox_owner
from services.review.actors import Actor
from shared.accounts import OrganisationRow, Role, UserRow


@dataclass(frozen=True, slots=True)
class Principal:
    """A signed-in user. ``organisation_number`` is the institution number of a school user or the
    enterprise number of a provider user; ``rtc_region`` is a coordinator's region. A browser
    session has its row's ``session_id`` and its ``csrf_token``, and ``touch_due`` when its
    last use is old enough to be written again."""

    user_id: int
    email: str
    name: str
    role: Role
    organisation_id: int
    organisation_name: str
    organisation_number: str | None
    rtc_region: str | None
    authenticated_by: Literal["session", "token"]
    csrf_token: str | None = None
    session_id: int | None = None
    organisation_status: str = "approved"
    organisation_admin: bool = False
    touch_due: bool = False

    @property
    def is_admin(self) -> bool:
        """Admins act for every organisation."""
        return self.role == "admin"

    @property
    def actor(self) -> Actor:
        """This user as the review state sees it (``services.review.actors``)."""
        return Actor(self.role, self.email, self.organisation_number, self.rtc_region)

    @property
    def inbox(self) -> str | None:
        """Whose inbox this user reads: its organisation's (school, provider) or its own
        (coordinator); ``None`` for the admin, who has none."""
        return inbox_owner(self.role, self.user_id, self.organisation_number)

    @property
    def may_publish(self) -> bool:
        """Whether this user's postings go out: an organisation that signed itself up waits
        for its RTC coordinator's approval (it may prepare, not publish)."""
        return self.organisation_status == "approved"

    def acts_for(self, organisation_number: str | None) -> bool:
        """Whether this user may act for the organisation with ``organisation_number``."""
        return self.is_admin or (
            organisation_number is not None and organisation_number == self.organisation_number
        )


def _active_users() -> Select[tuple[UserRow, OrganisationRow]]:
    return (
        select(UserRow, OrganisationRow)
        .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
        .where(UserRow.disabled.is_(False))
    )


def _principal(
    user: UserRow,
    organisation: OrganisationRow,
    browser: BrowserSessionRow | None = None,
    due: bool = False,
) -> Principal:
    role: Role = user.role  # type: ignore[assignment]  # checked by the table's constraint
    return Principal(
        user_id=user.id,
        email=user.email,
        name=user.name,
        role=role,
        organisation_id=organisation.id,
        organisation_name=organisation.name,
        organisation_number=organisation.number,
        rtc_region=organisation.rtc_region,
        authenticated_by="token" if browser is None else "session",
        csrf_token=None if browser is None else browser.csrf_token,
        session_id=None if browser is None else browser.id,
        organisation_status=organisation.status,
        organisation_admin=user.organisation_admin,
        touch_due=due,
    )


async def principal_of_session(
    session: AsyncSession, id_hash: str, idle: timedelta
) -> Principal | None:
    """The active user of the live browser session with ``id_hash``, or ``None``."""
    query = _active_users().add_columns(BrowserSessionRow, touch_due())
    query = query.join(BrowserSessionRow, BrowserSessionRow.user_id == UserRow.id)
    row = (
        await session.execute(query.where(BrowserSessionRow.id_hash == id_hash, live_session(idle)))
    ).first()
    return None if row is None else _principal(row[0], row[1], row[2], bool(row[3]))


async def principal_of_token(session: AsyncSession, token_hash: str) -> Principal | None:
    """The active user owning the live (unrevoked, unexpired) token with ``token_hash``."""
    query = _active_users().join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
    row = (
        await session.execute(query.where(ApiTokenRow.token_hash == token_hash, live_token()))
    ).first()
    return None if row is None else _principal(row[0], row[1])
