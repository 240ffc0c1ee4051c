"""Who acts on the review state, and the one region scope: the admin reviews every RTC region, a
coordinator its own, every other role none. Queries, decisions, allocation rounds, statistics and
outside decisions all ask this module; nothing else spells the rule out."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, false, true

from shared.accounts import Role


class NotAReviewer(Exception):  # noqa: N818 - reads as the refusal it is
    """Raised when someone who reviews no region asks for what only reviewers see or do."""


class RegionNotNamed(Exception):  # noqa: N818 - reads as the refusal it is
    """Raised when the admin acts on one region without naming it."""


@dataclass(frozen=True, slots=True)
class Actor:
    """A user as the review sees it: its role, e-mail address, organisation's number (school or
    provider) and RTC region (coordinator)."""

    role: Role
    email: str = ""
    organisation_number: str | None = None
    rtc_region: str | None = None

    @classmethod
    def coordinator(cls, email: str, rtc_region: str) -> "Actor":
        """The coordinator of the RTC of ``rtc_region``."""
        return cls("coordinator", email, rtc_region=rtc_region)

    @classmethod
    def admin(cls, email: str) -> "Actor":
        """The admin of Schakel."""
        return cls("admin", email)

    @property
    def reviews(self) -> bool:
        """Whether this actor reviews any region at all."""
        return self.role == "admin" or (self.role == "coordinator" and self.rtc_region is not None)

    def covers(self, rtc_region: str) -> bool:
        """Whether this actor reviews ``rtc_region``."""
        return self.role == "admin" or (self.reviews and rtc_region == self.rtc_region)

    def region_filter(self, region: SQLColumnExpression[str]) -> ColumnElement[bool]:
        """The rows whose ``region`` this actor reviews (none for a role that does not review)."""
        if self.role == "admin":
            return true()
        return region == self.rtc_region if self.reviews else false()

    def region_shown(self, asked: str | None) -> str | None:
        """The region a reviewer's overview shows: a coordinator's own, whatever the admin
        ``asked`` for (``None``: every region); raise ``NotAReviewer`` for any other role."""
        if not self.reviews:
            raise NotAReviewer(f"a {self.role} reviews no region")
        return asked if self.role == "admin" else self.rtc_region

    def region_chosen(self, asked: str | None) -> str:
        """The one region a reviewer acts on: a coordinator's own, the one the admin ``asked``
        for; raise ``NotAReviewer`` or ``RegionNotNamed`` when there is none."""
        region = self.region_shown(asked)
        if region is None:
            raise RegionNotNamed("name the rtc_region")
        return region
