"""The demo's sign-ins: one coordinator per RTC region, a school and a provider of the demo world,
and an admin. ``python -m services.demo logins`` prints them for ``make run``, which creates them
with ``python -m services.api.cli user create``.
"""

from datetime import date
from typing import NamedTuple

from services.demo import world
from services.demo.catalogue import NEEDS, OFFER_TEMPLATES, OFFERS, PROVIDERS
from shared.taxonomy import places

DOMAIN = "schakel.example"
# The demo school one signs in as: the living demo posts nothing in its name, its region's
# suggestions are left to the people signed in (the simulated coordinator decides elsewhere),
# and one of its needs has no match, to show why (``world.unserved_need``).
SIGNED_IN_SCHOOL = world.SIGNED_IN_SCHOOL


def people_region() -> str:
    """The RTC region of the signed-in demo school, where only people decide."""
    return places()[SIGNED_IN_SCHOOL.postal_code].rtc_region


class Login(NamedTuple):
    """One demo user; ``option``/``value`` is the organisation option of ``user create``."""

    role: str
    email: str
    name: str
    organisation: str
    option: str = ""
    value: str = ""


def coordinator_email(rtc_region: str) -> str:
    """The demo coordinator's address in ``rtc_region`` (who decides there)."""
    return f"rtc-{world.mailbox(rtc_region)}@{DOMAIN}"


def logins(today: date) -> list[Login]:
    """Coordinators by region, the first school and a provider in its region that offers one of
    its fields (so both see matches), then the admin. Same world, same logins."""
    regions = sorted({place.rtc_region for place in places().values()})
    school = SIGNED_IN_SCHOOL
    need = next(need for need in world.needs(today) if need.school.name == school.name)
    fields = {template.field for key, template in NEEDS.items() if key in school.needs}
    region = places()[school.postal_code].rtc_region
    line = next(
        line
        for line in OFFERS
        if OFFER_TEMPLATES[line.template].field in fields
        and places()[line.postal_code].rtc_region == region
    )
    provider = PROVIDERS[line.provider]
    return [
        *(
            Login(
                "coordinator",
                coordinator_email(region),
                f"Coördinator RTC {region}",
                f"RTC {region}",
                "region",
                region,
            )
            for region in regions
        ),
        Login(
            "school",
            f"school-{school.slug}@{DOMAIN}",
            f"Leraar {school.name}",
            school.name,
            "institution-number",
            need.school.institution_number,
        ),
        Login(
            "provider",
            f"aanbieder-{line.provider}@{DOMAIN}",
            f"Contact {provider.name}",
            provider.name,
            "enterprise-number",
            world.enterprise_number(provider.number),
        ),
        Login("admin", f"admin@{DOMAIN}", "Beheerder", "Schakel"),
    ]


def tab_separated(rows: list[Login]) -> str:
    """One line per login, fields separated by tabs: what ``make run`` reads."""
    return "\n".join("\t".join(row) for row in rows)
