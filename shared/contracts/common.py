"""Building blocks of the event contract: annotated types and the nested parts of postings."""

from datetime import date, datetime
from functools import lru_cache, partial
from typing import Annotated, Literal
from uuid import UUID

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)
from pydantic.networks import validate_email

from shared import taxonomy, validation
from shared.validation import invalid

EventId = Annotated[
    UUID,
    PlainSerializer(str, return_type=str),
    Field(
        description="Unique id of this event (UUID); redelivery keeps it, consumers dedupe on it."
    ),
]
PostingId = Annotated[
    str,
    AfterValidator(validation.posting_id),
    Field(
        description="Producer-chosen posting id; the Kafka key.", examples=["vti-hasselt-2027-014"]
    ),
]
PostalCode = Annotated[
    str,
    AfterValidator(validation.postal_code),
    Field(description="Belgian postal code in Flanders or Brussels.", examples=["3500"]),
]
PlainText = AfterValidator(validation.plain_text)
ContactName = Annotated[str, Field(min_length=1, max_length=120), PlainText]
OrganisationName = Annotated[str, Field(min_length=1, max_length=200), PlainText]
Kind = Annotated[
    str,
    AfterValidator(partial(validation.known_code, known=taxonomy.kinds(), what="kind")),
    Field(description="Posting kind.", json_schema_extra={"enum": list(taxonomy.kinds())}),
]
FieldCode = Annotated[
    str,
    AfterValidator(
        partial(validation.known_code, known=tuple(taxonomy.field_domains()), what="field")
    ),
    Field(
        description="Field code (SPEC section 3).",
        json_schema_extra={"enum": list(taxonomy.field_domains())},
    ),
]
Grades = Annotated[
    list[str],
    AfterValidator(validation.grade_list),
    Field(
        default_factory=list,
        max_length=6,
        description="Grade codes (G1, G2, G3, SNS, OV3, DBSO); deduplicated and ordered.",
    ),
]
Keywords = Annotated[
    list[Annotated[str, Field(max_length=60), PlainText]],
    AfterValidator(validation.keyword_list),
    Field(default_factory=list, max_length=20, description="Keywords adding detail to the field."),
]
Timestamp = Annotated[datetime, Field(description="UTC timestamp, ISO 8601.")]
TurnaroundDays = Annotated[
    int,
    Field(
        ge=0,
        le=365,
        description="Optional (project addition): calendar days a unit stays unavailable after "
        "each booking (inspection, transport); 0 when absent. ``capacity`` is the units "
        "available at the same time.",
    ),
]


@lru_cache(maxsize=8192)
def _email(value: str) -> str:
    """pydantic's ``EmailStr`` check and normalisation, remembered: a contact's address comes
    back in every event of its postings, in every service, and the check is costly."""
    return validate_email(value)[1]


Email = Annotated[str, AfterValidator(_email), Field(json_schema_extra={"format": "email"})]


class Part(BaseModel):
    """A nested part of an event: unknown keys ignored (the project may add optional fields)."""

    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True)


class Contact(Part):
    """Who to contact at the posting organisation; shown only to parties of an accepted match."""

    name: ContactName
    email: Email


class School(Part):
    """The school posting a need."""

    institution_number: Annotated[
        str,
        AfterValidator(validation.institution_number),
        Field(description="Six-digit instellingsnummer.", examples=["048561"]),
    ]
    name: OrganisationName
    postal_code: PostalCode


class Provider(Part):
    """The company, sector organisation or training centre posting an offer."""

    enterprise_number: Annotated[
        str,
        AfterValidator(validation.enterprise_number),
        Field(description="Belgian enterprise number, mod-97 checked.", examples=["0403.170.701"]),
    ]
    name: OrganisationName
    type: Literal["company", "sector_organisation", "training_centre"]
    postal_code: PostalCode


class Period(Part):
    """The window in which the posting applies. ``days``: of a need, the working days needed
    inside it (absent: all of it); of an offer, the most working days one school may book
    (absent: no limit), e.g. 10 for the VDAB 10-day scheme."""

    start: date
    end: date
    days: Annotated[
        int | None,
        Field(
            ge=1,
            le=366,
            description="Need: working days needed inside the window (absent: all of it). "
            "Offer: the most working days one school may book (absent: no limit).",
        ),
    ] = None

    @model_validator(mode="after")
    def _consistent(self) -> "Period":
        if self.end < self.start:
            raise invalid("period_order", f"end {self.end} is before start {self.start}")
        if self.days is not None and self.days > self.window_days:
            raise invalid(
                "period_days", f"{self.days} days do not fit in a window of {self.window_days} days"
            )
        return self

    @property
    def window_days(self) -> int:
        """Calendar days in the window, both ends included."""
        return (self.end - self.start).days + 1


class Replacement(Part):
    """Replacement class activity wanted while the teacher is on internship."""

    grades: Grades
    pupils: Annotated[int, Field(ge=1, le=60, description="Class size.")]


class Place(Part):
    """A postal code resolved to locality, province, RTC region and coordinates."""

    postal_code: str
    locality: str
    province: str
    rtc_region: str
    latitude: float
    longitude: float
