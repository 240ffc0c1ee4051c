"""``/account/voorkeuren``: how one hears from Schakel. For each kind of notification one's role
hears of: a mail at once, a line in the daily overview, or no mail (the inbox keeps it). Every
mail links here. The choices are kept by ``shared.mail_choices``, which the notifier reads."""

from collections.abc import Mapping
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.access import SignedIn
from services.api.pages.rendering import render
from services.api.principal import Principal
from shared.mail_choices import KINDS_OF_ROLE, ChoiceRefused, choices_of, choose

router = APIRouter(prefix="/account", include_in_schema=False)
PAGE = "/account/voorkeuren"
# What each kind of notification is, in plain Dutch.
KIND_LABELS = {
    "suggestion": "Een nieuw voorstel (match) in uw regio",
    "reminder": "Een herinnering aan een voorstel waarover nog niet beslist is",
    "replacement_missing": "Een lerarenstage zonder vervangende activiteit",
    "application": "Een nieuwe organisatie wacht op uw goedkeuring",
    "accepted": "Een match is aanvaard (met de contactgegevens van de andere partij)",
    "revoked": "Een aanvaarde match is ingetrokken",
}
CHOICE_LABELS = {
    "immediate": "Meteen een mail",
    "daily": "In één overzicht per dag ('s ochtends)",
    "off": "Geen mail (alleen in Schakel)",
}


@router.get("/voorkeuren", response_class=HTMLResponse)
async def preferences_page(
    request: Request, session: SessionDep, principal: SignedIn, melding: str = ""
) -> Response:
    """One's mail choices."""
    chosen = await choices_of(session, principal.user_id)
    return _page(request, principal, chosen, notice=melding[:200])


@router.post("/voorkeuren")
async def save_preferences(request: Request, session: SessionDep, principal: SignedIn) -> Response:
    """Keep one's choices; a kind left out or an unknown choice changes nothing (422)."""
    form = await request.form()
    kinds = KINDS_OF_ROLE.get(principal.role, ())
    chosen = {kind: str(form.get(kind, ""))[:10] for kind in kinds}
    try:
        await choose(session, principal.user_id, principal.role, chosen)
    except ChoiceRefused as refused:
        return _page(request, principal, chosen, status_code=422, error=str(refused))
    notice = urlencode({"melding": "Uw voorkeuren zijn bewaard."})
    return RedirectResponse(f"{PAGE}?{notice}", status_code=303)


def _page(
    request: Request,
    principal: Principal,
    chosen: Mapping[str, str],
    status_code: int = 200,
    **extra: str,
) -> Response:
    kinds = [(kind, KIND_LABELS[kind]) for kind in KINDS_OF_ROLE.get(principal.role, ())]
    return render(
        request, "preferences.html", principal, status_code=status_code, kinds=kinds,
        chosen=chosen, choices=CHOICE_LABELS, **extra,
    )  # fmt: skip
