"""Organisation names are the registered ones: a school's or provider's name in a submission is
replaced by the name its number is registered under (``shared.accounts``). Pure."""

from collections.abc import Iterable, Mapping
from dataclasses import replace

from services.intake.inbound import Outcome
from shared.accounts import OrganisationKind
from shared.contracts import NeedSubmitted, OfferSubmitted, Side
from shared.contracts.submitted import with_owner_name

Names = Mapping[tuple[OrganisationKind, str], str]
Submission = NeedSubmitted | OfferSubmitted
OWNER_KIND: dict[Side, OrganisationKind] = {"need": "school", "offer": "provider"}


def organisation_of(submission: Submission) -> tuple[OrganisationKind, str]:
    """The kind and number of the organisation a submission names as its owner."""
    return OWNER_KIND[submission.side], submission.owner_number


def organisations(commands: Iterable[object]) -> list[tuple[OrganisationKind, str]]:
    """The owners named by the submissions among ``commands``."""
    return [organisation_of(c) for c in commands if isinstance(c, NeedSubmitted | OfferSubmitted)]


def with_registered_name(outcome: Outcome, names: Names) -> Outcome:
    """``outcome`` with the registered name in its submission (other commands unchanged)."""
    command = outcome.command
    if isinstance(command, NeedSubmitted | OfferSubmitted):
        return replace(outcome, command=registered_name(command, names))
    return outcome


def registered_name(submission: Submission, names: Names) -> Submission:
    """``submission`` with its owner's registered name, if its number is registered."""
    name = names.get(organisation_of(submission))
    return submission if name is None else with_owner_name(submission, name)
