"""The navigation of each role, and where a role lands after signing in."""

from dataclasses import dataclass

from services.api.principal import Principal


@dataclass(frozen=True, slots=True)
class NavLink:
    """One entry of the navigation."""

    href: str
    label: str


_NAV: dict[str, tuple[NavLink, ...]] = {
    "coordinator": (
        NavLink("/beoordelen", "Voorstellen"),
        NavLink("/toewijzing", "Toewijzingsronde"),
        NavLink("/dashboard", "Dashboard"),
        NavLink("/aanmeldingen", "Nieuwe organisaties"),
        NavLink("/inbox", "Inbox"),
    ),
    "school": (
        NavLink("/school", "Mijn behoeften"),
        NavLink("/school/behoeften/nieuw", "Nieuwe behoefte"),
        NavLink("/inbox", "Inbox"),
        NavLink("/organisatie", "Collega's"),
    ),
    "provider": (
        NavLink("/aanbieder", "Mijn aanbod"),
        NavLink("/aanbieder/aanbod/nieuw", "Nieuw aanbod"),
        NavLink("/aanbieder/import", "Importeren"),
        NavLink("/inbox", "Inbox"),
        NavLink("/organisatie", "Collega's"),
    ),
    "admin": (
        NavLink("/beheer", "Beheer"),
        NavLink("/beoordelen", "Voorstellen"),
        NavLink("/dashboard", "Dashboard"),
    ),
}
CATALOGUE = NavLink("/catalogus", "Catalogus")
SIGN_INS = NavLink("/account/sessies", "Sessies en tokens")


def navigation(principal: Principal | None) -> tuple[NavLink, ...]:
    """The links ``principal``'s role works with, then one's sessions and tokens; the catalogue
    is there for everyone."""
    if principal is None:
        return (CATALOGUE,)
    return (*_NAV.get(principal.role, ()), SIGN_INS, CATALOGUE)


def home_of(principal: Principal) -> str:
    """Where a role lands after signing in."""
    return navigation(principal)[0].href
