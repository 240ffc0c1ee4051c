"""Organisations that sign themselves up: a school by its institution number, a company, sector
organisation or training centre by its enterprise number. The first user's address is checked
with a one-use mailed link; then the RTC coordinator of the region of the organisation's postal
code approves or refuses it (mail to the applicant). Until approved nothing it posts is
published (``Principal.may_publish``)."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.account_links import issue_link, use_link
from services.api.accounts import AccountError, save_user
from services.api.passwords import PasswordRefused, check_new_password
from services.notifier.notifications import (
    AccountMail,
    AccountMailKind,
    WaitingApplication,
    send_account_mail,
    tell_coordinators_of_application,
)
from shared import taxonomy, validation
from shared.accounts import OrganisationRow, Role, UserRow
from shared.settings import Settings

ApplicantKind = Literal["school", "company", "sector_organisation", "training_centre"]
APPLICANT_KINDS: tuple[ApplicantKind, ...] = (
    "school",
    "company",
    "sector_organisation",
    "training_centre",
)
CONFIRM_PAGE = "/registreren/bevestigen"
VERIFY_MINUTES = 48 * 60


class SignUpRefused(ValueError):  # noqa: N818 - reads as the answer it is
    """A sign-up that cannot be taken; the message is Dutch and meant for the applicant."""


class ApplicationNotFound(LookupError):  # noqa: N818 - reads as the page's 404
    """No pending application of this coordinator's region with this id."""


@dataclass(frozen=True, slots=True)
class Application:
    """What a sign-up form or ``POST /api/registrations`` sends."""

    kind: str
    number: str
    organisation_name: str
    postal_code: str
    person_name: str
    email: str
    password: str


@dataclass(frozen=True, slots=True)
class Checked:
    """An application whose fields passed their rules."""

    role: Role
    provider_type: str | None
    number: str
    postal_code: str
    region: str


def region_of(postal_code: str) -> str:
    """The RTC region of a postal code of Flanders or Brussels."""
    return taxonomy.places()[postal_code].rtc_region


def check(application: Application) -> Checked:
    """The application's fields by their rules; SignUpRefused (Dutch) for the first wrong one."""
    if application.kind not in APPLICANT_KINDS:
        raise SignUpRefused("Kies wat voor organisatie u aanmeldt.")
    for value, what in (
        (application.organisation_name, "de naam van de organisatie"),
        (application.person_name, "uw naam"),
    ):
        if not value.strip():
            raise SignUpRefused(f"Vul {what} in.")
    if "@" not in application.email.strip()[1:-1]:
        raise SignUpRefused("Geef een geldig e-mailadres.")
    try:
        check_new_password(application.password)
    except PasswordRefused as refused:
        raise SignUpRefused(str(refused)) from refused
    try:
        code = validation.postal_code(application.postal_code)
        if application.kind == "school":
            number = validation.institution_number(application.number)
        else:
            number = validation.enterprise_number(application.number)
    except ValueError as wrong:
        raise SignUpRefused(_dutch_rule(wrong)) from wrong
    school = application.kind == "school"
    return Checked(
        role="school" if school else "provider",
        provider_type=None if school else application.kind,
        number=number,
        postal_code=code,
        region=region_of(code),
    )


def _dutch_rule(wrong: ValueError) -> str:
    kind = getattr(wrong, "type", "")
    return {
        "postal_code": "Geef een postcode van Vlaanderen of Brussel.",
        "institution_number": "Het instellingsnummer telt precies 6 cijfers.",
        "enterprise_number": "Geen geldig ondernemingsnummer (10 cijfers, mod-97-controle).",
    }.get(kind, "Een veld is niet geldig.")


def confirm_url(token: str) -> str:
    """The full address of the address check for ``token``."""
    return f"{Settings().api_public_url.rstrip('/')}{CONFIRM_PAGE}?token={quote(token, safe='')}"


async def sign_up(session: AsyncSession, application: Application) -> None:
    """Register a pending organisation and its first user (disabled until the mailed link is
    followed). A number already registered is refused, naming whom to ask but not who holds
    it; an address that has an account gets a mail saying so and nothing else changes."""
    checked = check(application)
    kind = "school" if checked.role == "school" else "provider"
    taken = await session.scalar(
        select(OrganisationRow.id).where(
            OrganisationRow.kind == kind, OrganisationRow.number == checked.number
        )
    )
    if taken is not None:
        raise SignUpRefused(
            "Dit nummer is al geregistreerd bij Schakel. Vraag een collega van uw organisatie "
            "om u uit te nodigen, of neem contact op met het RTC " + checked.region + "."
        )
    email = application.email.strip().lower()
    existing = await session.scalar(select(UserRow).where(UserRow.email == email))
    if existing is not None:
        mail = AccountMail("address_in_use", existing.id, existing.email, existing.name)
        await send_account_mail(session, mail)
        return
    await _register(session, application, checked)


async def _register(session: AsyncSession, application: Application, checked: Checked) -> None:
    organisation = OrganisationRow(
        kind="school" if checked.role == "school" else "provider",
        number=checked.number,
        name=application.organisation_name.strip(),
        status="pending",
        postal_code=checked.postal_code,
        provider_type=checked.provider_type,
    )
    session.add(organisation)
    await session.flush()
    try:
        user = await save_user(
            session, checked.role, organisation, application.email, application.password,
            application.person_name.strip(),
        )  # fmt: skip
    except AccountError as clash:
        raise SignUpRefused("Dit e-mailadres kan niet gebruikt worden.") from clash
    user.disabled, user.organisation_admin = True, True
    token = await issue_link(session, user.id, "verify_email", timedelta(minutes=VERIFY_MINUTES))
    await send_account_mail(
        session,
        AccountMail(
            "verify_email", user.id, user.email, user.name, confirm_url(token),
            valid_minutes=VERIFY_MINUTES, organisation=organisation.name,
        ),
    )  # fmt: skip


async def confirm_address(session: AsyncSession, token: str) -> OrganisationRow | None:
    """Follow the address check ``token`` (once): the user may sign in and the organisation
    waits in its region's queue, whose coordinators get a mail; ``None`` for a used, expired
    or unknown link."""
    user = await use_link(session, token, "verify_email")
    if user is None:
        return None
    user.disabled = False
    organisation = await session.get(OrganisationRow, user.organisation_id)
    assert organisation is not None
    if organisation.verified_at is None:
        organisation.verified_at = datetime.now(UTC)
        if organisation.status == "pending":
            await _tell_region(session, organisation)
    return organisation


async def _tell_region(session: AsyncSession, organisation: OrganisationRow) -> None:
    postal_code = organisation.postal_code or ""
    waiting = WaitingApplication(
        organisation.id, organisation.name, postal_code, region_of(postal_code)
    )
    await tell_coordinators_of_application(session, waiting)


async def pending_in(session: AsyncSession, region: str | None) -> list[OrganisationRow]:
    """The checked applications waiting for a decision, oldest first: of ``region``, or of
    every region (``None``: the admin)."""
    query = select(OrganisationRow).where(
        OrganisationRow.status == "pending", OrganisationRow.verified_at.is_not(None)
    )
    rows = await session.scalars(query.order_by(OrganisationRow.verified_at, OrganisationRow.id))
    return [o for o in rows if region is None or region_of(o.postal_code or "") == region]


async def decide(
    session: AsyncSession, region: str | None, organisation_id: int, approve: bool, reason: str
) -> OrganisationRow:
    """Approve or refuse (with ``reason``) a pending application of ``region`` (``None``: any);
    its users are told by mail. ApplicationNotFound for anything else, another region's too;
    SignUpRefused for a refusal without a reason."""
    organisation = next(
        (o for o in await pending_in(session, region) if o.id == organisation_id), None
    )
    if organisation is None:
        raise ApplicationNotFound(f"no pending application {organisation_id} of yours")
    try:
        reason = validation.plain_text(reason)
    except ValueError as wrong:
        raise SignUpRefused("De reden bevat onzichtbare stuurtekens.") from wrong
    if not approve and not reason:
        raise SignUpRefused("Geef de reden van de weigering; de aanvrager krijgt ze te lezen.")
    organisation.status = "approved" if approve else "refused"
    organisation.refusal_reason = None if approve else reason
    users = await session.scalars(select(UserRow).where(UserRow.organisation_id == organisation.id))
    kind: AccountMailKind = "organisation_approved" if approve else "organisation_refused"
    for user in users:
        await send_account_mail(
            session,
            AccountMail(kind, user.id, user.email, user.name, organisation=organisation.name,
                        reason=reason),
        )  # fmt: skip
    return organisation
