"""Who hears about what, over which channels. Pure: the caller loads coordinators and parties.

Every notification lands in the recipient's in-app inbox; ``Route.deliveries`` lists the extra
channels: e-mail now, a place in the daily digest mail (coordinators who chose one), and the
webhook of an organisation that configured one.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from shared.mail_choices import DEFAULT_CHOICE, MailChoice

NotificationType = Literal[
    "suggestion",
    "reminder",
    "accepted",
    "revoked",
    "replacement_missing",
    "digest",
    "account",
    "cancelled",
    "on_its_way",
]
Channel = Literal["email", "webhook", "digest"]


@dataclass(frozen=True, slots=True)
class Coordinator:
    """An RTC coordinator and how they want each kind of mail (kinds not named: at once)."""

    id: int
    rtc_region: str
    name: str
    email: str
    choices: Mapping[str, MailChoice] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Party:
    """A school or provider as a party of a match, with its posting's contact."""

    role: Literal["school", "provider"]
    organisation_id: str
    name: str
    contact_name: str
    contact_email: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """One channel of a notification: an e-mail address, or the organisation of a webhook."""

    channel: Channel
    address: str


@dataclass(frozen=True, slots=True)
class Route:
    """One notification to create: recipient, type and channels beyond the inbox."""

    recipient: str
    type: NotificationType
    deliveries: tuple[Delivery, ...]


def coordinator_key(coordinator_id: int) -> str:
    """The inbox owner key of a coordinator."""
    return f"coordinator:{coordinator_id}"


def organisation_key(role: Literal["school", "provider"], organisation_id: str) -> str:
    """The inbox owner key of a school or provider: ``school:048561``, ``provider:0403.170.701``."""
    return f"{role}:{organisation_id}"


def party_key(party: Party) -> str:
    """The inbox owner key of a match's school or provider."""
    return organisation_key(party.role, party.organisation_id)


def mail_to(address: str, choice: MailChoice) -> tuple[Delivery, ...]:
    """The mail a choice makes: one at once, a line in the daily digest, or none."""
    if choice == "off":
        return ()
    return (Delivery("digest" if choice == "daily" else "email", address),)


def to_coordinators(
    coordinators: list[Coordinator], rtc_region: str, notification_type: NotificationType
) -> list[Route]:
    """Routes to the coordinators of ``rtc_region``, each mailed as they chose for the type."""
    return [
        Route(
            coordinator_key(coordinator.id),
            notification_type,
            mail_to(coordinator.email, coordinator.choices.get(notification_type, DEFAULT_CHOICE)),
        )
        for coordinator in coordinators
        if coordinator.rtc_region == rtc_region
    ]


def to_party(
    party: Party,
    webhook_organisations: set[str],
    notification_type: NotificationType = "accepted",
    choice: MailChoice = DEFAULT_CHOICE,
) -> Route:
    """A route to one party of a match: its contact's mail as the contact chose (if the contact
    is a user) and the organisation's webhook, if any."""
    deliveries = list(mail_to(party.contact_email, choice))
    if party.organisation_id in webhook_organisations:
        deliveries.append(Delivery("webhook", party.organisation_id))
    return Route(party_key(party), notification_type, tuple(deliveries))
