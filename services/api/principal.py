"""Who is calling: the signed-in user with the organisation it acts for."""

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from sqlalchemy import Interval, Row, Select, bindparam, select
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


# What a principal is made of, as plain columns (no ORM entities to build on every request).
_COLUMNS = (
    UserRow.id.label("user_id"),
    UserRow.email,
    UserRow.name,
    UserRow.role,
    UserRow.organisation_admin,
    OrganisationRow.id.label("organisation_id"),
    OrganisationRow.name.label("organisation_name"),
    OrganisationRow.number.label("organisation_number"),
    OrganisationRow.rtc_region,
    OrganisationRow.status.label("organisation_status"),
)


def _active_users() -> Select[Any]:
    return (
        select(*_COLUMNS)
        .join(OrganisationRow, OrganisationRow.id == UserRow.organisation_id)
        .where(UserRow.disabled.is_(False))
    )


# Built once: every signed-in request runs it (the idle time is its parameter), one round trip
# for the user, the organisation and the session, whether its last use is due to be written.
_OF_SESSION = (
    _active_users()
    .add_columns(
        BrowserSessionRow.id.label("session_id"),
        BrowserSessionRow.csrf_token,
        touch_due().label("touch_due"),
    )
    .join(BrowserSessionRow, BrowserSessionRow.user_id == UserRow.id)
    .where(
        BrowserSessionRow.id_hash == bindparam("id_hash"),
        live_session(bindparam("idle", type_=Interval())),
    )
)
_OF_TOKEN = (
    _active_users()
    .join(ApiTokenRow, ApiTokenRow.user_id == UserRow.id)
    .where(ApiTokenRow.token_hash == bindparam("token_hash"), live_token())
)


def _principal(row: Row[Any], browser: bool) -> Principal:
    return Principal(
        user_id=row.user_id,
        email=row.email,
        name=row.name,
        role=row.role,
        organisation_id=row.organisation_id,
        organisation_name=row.organisation_name,
        organisation_number=row.organisation_number,
        rtc_region=row.rtc_region,
        authenticated_by="session" if browser else "token",
        csrf_token=row.csrf_token if browser else None,
        session_id=row.session_id if browser else None,
        organisation_status=row.organisation_status,
        organisation_admin=row.organisation_admin,
        touch_due=bool(row.touch_due) if browser else False,
    )


async def principal_of_session(
    session: AsyncSession, id_hash: str, idle: timedelta
) -> Principal | None:
    """The active user of the live browser session with ``id_hash``, or ``None``: read as it
    is now (a sign-out, a disabled user, a changed role count from the next request on)."""
    connection = await session.connection()  # Core: no ORM entities, no ORM events
    row = (await connection.execute(_OF_SESSION, {"id_hash": id_hash, "idle": idle})).first()
    return None if row is None else _principal(row, browser=True)


async def principal_of_token(session: AsyncSession, token_hash: str) -> Principal | None:
    """The active user owning the live (unrevoked, unexpired) token with ``token_hash``."""
    connection = await session.connection()
    row = (await connection.execute(_OF_TOKEN, {"token_hash": token_hash})).first()
    return None if row is None else _principal(row, browser=False)
