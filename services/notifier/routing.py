"""Who hears about what, over which channels. Pure: the caller loads coordinators and parties.

Every notification lands in the recipient's in-app inbox; ``Route.deliveries`` lists the extra
channels: e-mail now, a place in the daily digest mail (coordinators who chose one), and the
webhook of an organisation that configured one.
"""

from dataclasses import dataclass
from typing import Literal

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
DigestChoice = Literal["immediate", "daily"]


@dataclass(frozen=True, slots=True)
class Coordinator:
    """An RTC coordinator and how they want suggestion mail."""

    id: int
    rtc_region: str
    name: str
    email: str
    digest: DigestChoice


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


def to_coordinators(
    coordinators: list[Coordinator], rtc_region: str, notification_type: NotificationType
) -> list[Route]:
    """Routes to the coordinators of ``rtc_region``; suggestions wait for the digest if chosen."""
    return [
        Route(
            coordinator_key(coordinator.id),
            notification_type,
            (
                Delivery(
                    "digest"
                    if notification_type == "suggestion" and coordinator.digest == "daily"
                    else "email",
                    coordinator.email,
                ),
            ),
        )
        for coordinator in coordinators
        if coordinator.rtc_region == rtc_region
    ]


def to_party(
    party: Party, webhook_organisations: set[str], notification_type: NotificationType = "accepted"
) -> Route:
    """A route to one party of a match: its contact's mail and its webhook, if any."""
    deliveries = [Delivery("email", party.contact_email)]
    if party.organisation_id in webhook_organisations:
        deliveries.append(Delivery("webhook", party.organisation_id))
    return Route(party_key(party), notification_type, tuple(deliveries))
