"""Answers of the posting routes."""

from datetime import datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from shared.contracts import FieldError, PostingStatus

Status = Literal["submitted", "rejected", PostingStatus]
Item = TypeVar("Item", bound=BaseModel)


class Accepted(BaseModel):
    """A submission or withdrawal queued for intake; follow ``status_url``."""

    status: Literal["submitted"] = "submitted"
    status_url: str


class NeedAccepted(Accepted):
    """202 answer for a need."""

    need_id: str


class OfferAccepted(Accepted):
    """202 answer for an offer."""

    offer_id: str


class PostingView(BaseModel):
    """A posting of the caller's organisation and where it stands.

    ``submitted``: sent, not yet handled by intake. ``rejected``: intake refused the last change
    (``errors`` says why). Otherwise the stored status (open, withdrawn, expired) with the
    stored posting.
    """

    status: Status
    errors: list[FieldError] = []
    submitted_at: datetime | None = Field(None, description="When the API last sent a change.")
    updated_at: datetime | None = Field(None, description="When intake last stored it.")
    posting: dict[str, Any] | None = Field(
        None,
        description="The posting as intake registered it (needs.registered/offers.registered).",
    )
    matches: list[dict[str, Any]] = Field(
        [], description="The posting's matches; filled in by the review service's routes."
    )


class NeedView(PostingView):
    """A need and its status."""

    need_id: str


class OfferView(PostingView):
    """An offer and its status."""

    offer_id: str


class Page(BaseModel, Generic[Item]):
    """One page of a list; ``total`` counts every item over all pages."""

    items: list[Item]
    total: int = Field(
        description="Exact while total_exact; above the API's exact-count limit "
        "the database's estimate."
    )
    total_exact: bool = Field(True, description="Whether total is counted, not estimated.")
    page: int
    page_size: int
