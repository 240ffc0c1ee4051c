"""Needs and offers: the side an event is about, its posting's id and the posting's owner.

The mixins give the contract models ``side``, ``posting_id`` and ``owner_number`` as a class
variable and properties, so what travels on the wire (and the AsyncAPI schema) stays as it is.
"""

from typing import TYPE_CHECKING, ClassVar, Literal

if TYPE_CHECKING:
    from shared.contracts.common import Provider, School

Side = Literal["need", "offer"]


class NeedEvent:
    """An event about a need: its side and the need's id."""

    side: ClassVar[Side] = "need"
    if TYPE_CHECKING:
        need_id: str

    @property
    def posting_id(self) -> str:
        """The need's id."""
        return self.need_id


class OfferEvent:
    """An event about an offer: its side and the offer's id."""

    side: ClassVar[Side] = "offer"
    if TYPE_CHECKING:
        offer_id: str

    @property
    def posting_id(self) -> str:
        """The offer's id."""
        return self.offer_id


class SchoolsNeed(NeedEvent):
    """A need with the school that owns it."""

    if TYPE_CHECKING:
        school: School

    @property
    def owner_number(self) -> str:
        """The institution number of the school that owns the need."""
        return self.school.institution_number


class ProvidersOffer(OfferEvent):
    """An offer with the provider that owns it."""

    if TYPE_CHECKING:
        provider: Provider

    @property
    def owner_number(self) -> str:
        """The enterprise number of the provider that owns the offer."""
        return self.provider.enterprise_number
