"""Inbound events: needs and offers submitted or withdrawn (public contract v1)."""

from typing import Annotated, Literal

from pydantic import AfterValidator, Field, StringConstraints, model_validator

from shared.contracts.common import (
    Contact,
    EventId,
    FieldCode,
    Grades,
    Keywords,
    Kind,
    Part,
    Period,
    PlainText,
    PostingId,
    Provider,
    Replacement,
    School,
    TurnaroundDays,
)
from shared.contracts.identity import NeedEvent, OfferEvent, ProvidersOffer, SchoolsNeed
from shared.validation import invalid

# Intake names the replacement_activity need of an internship need ``<need_id>:vervanging``; a
# submitted need id may not end like that, so no organisation can claim another's replacement need.
REPLACEMENT_SUFFIX = ":vervanging"


def replacement_need_id(need_id: str) -> str:
    """Id of the replacement_activity need intake creates for an internship need."""
    return need_id + REPLACEMENT_SUFFIX


def _not_reserved(need_id: str) -> str:
    if need_id.endswith(REPLACEMENT_SUFFIX):
        raise invalid(
            "reserved_need_id",
            f"a need id may not end in {REPLACEMENT_SUFFIX!r}: intake gives that id to the "
            "replacement activity of an internship need; send the internship need itself",
        )
    return need_id


NeedId = Annotated[PostingId, AfterValidator(_not_reserved)]
Title = Annotated[str, StringConstraints(min_length=3, max_length=200), PlainText]
Description = Annotated[str, StringConstraints(max_length=5000), PlainText]
OrganisationNumber = Annotated[
    Annotated[str, StringConstraints(max_length=20), PlainText] | None,
    Field(
        description="Optional (project addition): institution or enterprise number of the "
        "organisation asking; when given it must own the posting."
    ),
]


class PostingContent(Part):
    """What needs and offers share."""

    event_id: EventId
    contact: Contact
    kind: Kind
    title: Title
    description: Description = ""
    field: FieldCode
    keywords: Keywords
    grades: Grades
    period: Period


class NeedSubmitted(PostingContent, SchoolsNeed):
    """``needs.submitted``: a school posts a need; a known ``need_id`` replaces the posting."""

    need_id: NeedId
    school: School
    quantity: Annotated[
        int, Field(ge=1, le=1000, description="Teachers, units or pupil places.")
    ] = 1
    max_distance_km: Annotated[float, Field(gt=0, le=300)] = 50
    replacement: Replacement | None = None

    @model_validator(mode="after")
    def _replacement_only_for_internships(self) -> "NeedSubmitted":
        if self.replacement is not None and self.kind != "teacher_internship":
            raise invalid("replacement", "a replacement block belongs to a teacher_internship need")
        return self


class OfferSubmitted(PostingContent, ProvidersOffer):
    """``offers.submitted``: a provider posts an offer; a known ``offer_id`` replaces it."""

    offer_id: PostingId
    provider: Provider
    capacity: Annotated[
        int,
        Field(
            ge=1,
            le=10000,
            description="Teachers, units or pupil places available at the same time during the "
            "period; each accepted match books its units for a stretch of days.",
        ),
    ] = 1
    venue: Literal["company", "training_centre", "school", "mobile"] = "company"
    cost_eur: Annotated[float, Field(ge=0, le=1_000_000)] = 0
    turnaround_days: TurnaroundDays = 0


class NeedWithdrawn(Part, NeedEvent):
    """``needs.withdrawn``: the school closes its need."""

    event_id: EventId
    need_id: PostingId
    organisation_number: OrganisationNumber = None


class OfferWithdrawn(Part, OfferEvent):
    """``offers.withdrawn``: the provider closes its offer."""

    event_id: EventId
    offer_id: PostingId
    organisation_number: OrganisationNumber = None


def with_owner_name(
    posting: NeedSubmitted | OfferSubmitted, name: str
) -> NeedSubmitted | OfferSubmitted:
    """``posting`` with ``name`` as its school's or provider's name (the registered one)."""
    if isinstance(posting, NeedSubmitted):
        return posting.model_copy(
            update={"school": posting.school.model_copy(update={"name": name})}
        )
    provider = posting.provider.model_copy(update={"name": name})
    return posting.model_copy(update={"provider": provider})
