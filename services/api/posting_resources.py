"""Needs and offers are handled alike: ``/api/needs`` and ``/api/offers`` are two posting
resources, and a ``PostingResource`` holds what differs between them."""

from dataclasses import dataclass
from typing import Annotated, Any
from uuid import uuid4

from fastapi import Path

from services.api.views import NeedAccepted, NeedView, OfferAccepted, OfferView
from shared import topics
from shared.accounts import Role
from shared.contracts import NeedSubmitted, NeedWithdrawn, OfferSubmitted, OfferWithdrawn, Side

Posting = NeedSubmitted | OfferSubmitted
# A posting id in a URL, as the contract allows it (shared.validation.posting_id); others cannot
# exist.
PostingIdPath = Annotated[str, Path(pattern=r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,119}$")]


@dataclass(frozen=True, slots=True)
class PostingResource:
    """The needs or the offers as the API serves them: names, contract models, topics and owner
    role of one side."""

    name: Side
    plural: str
    role: Role
    owner_label: str
    submitted: type[NeedSubmitted] | type[OfferSubmitted]
    withdrawn: type[NeedWithdrawn] | type[OfferWithdrawn]
    submitted_topic: str
    withdrawn_topic: str
    accepted: type[NeedAccepted] | type[OfferAccepted]
    view: type[NeedView] | type[OfferView]

    @property
    def id_field(self) -> str:
        """``need_id`` or ``offer_id``: the posting id's name in the contract."""
        return f"{self.name}_id"

    def status_url(self, posting_id: str) -> str:
        """Where the status of a posting is read."""
        return f"/api/{self.plural}/{posting_id}"

    def accepted_answer(self, posting_id: str) -> dict[str, Any]:
        """The 202 answer to a submission or withdrawal."""
        answer = self.accepted(
            **{self.id_field: posting_id},
            status="submitted",
            status_url=self.status_url(posting_id),
        )
        return answer.model_dump(mode="json")

    def withdrawal(self, posting_id: str, owner_number: str) -> NeedWithdrawn | OfferWithdrawn:
        """The withdrawal event of a posting, asked for by its owner."""
        return self.withdrawn(
            **{self.id_field: posting_id}, event_id=uuid4(), organisation_number=owner_number
        )


NEEDS = PostingResource(
    name="need",
    plural="needs",
    role="school",
    owner_label="school.institution_number",
    submitted=NeedSubmitted,
    withdrawn=NeedWithdrawn,
    submitted_topic=topics.NEEDS_SUBMITTED,
    withdrawn_topic=topics.NEEDS_WITHDRAWN,
    accepted=NeedAccepted,
    view=NeedView,
)
OFFERS = PostingResource(
    name="offer",
    plural="offers",
    role="provider",
    owner_label="provider.enterprise_number",
    submitted=OfferSubmitted,
    withdrawn=OfferWithdrawn,
    submitted_topic=topics.OFFERS_SUBMITTED,
    withdrawn_topic=topics.OFFERS_WITHDRAWN,
    accepted=OfferAccepted,
    view=OfferView,
)
