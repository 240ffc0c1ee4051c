"""``/beheer/termen``: the term pairs administrators add to the matcher's vocabulary per field
(on top of the shipped, reviewed file), their removal, and the pairs coordinators' decisions
propose, with how often they were accepted, to add or dismiss."""

from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from services.api.deps import SessionDep
from services.api.pages.access import AdminPage
from services.api.pages.rendering import render
from services.matcher import term_proposals, terms

router = APIRouter(include_in_schema=False)
PAGE = "/beheer/termen"
Term = Annotated[str, Form(max_length=terms.MAX_TERM_CHARS * 2)]
Field = Annotated[str, Form(max_length=60)]


@router.get(PAGE, response_class=HTMLResponse)
async def vocabulary_page(
    request: Request, session: SessionDep, principal: AdminPage, melding: str = "", fout: str = ""
) -> Response:
    """The pairs in force, the form that adds one, and the proposed pairs."""
    return render(
        request, "vocabulary.html", principal,
        pairs=await terms.added_pairs(session), fields=terms.fields(),
        proposals=await term_proposals.proposals(session),
        min_accepted=term_proposals.MIN_ACCEPTED,
        notice=melding[:200], problem=fout[:200],
    )  # fmt: skip


@router.post(PAGE)
async def add_pair(
    session: SessionDep,
    principal: AdminPage,
    field: Field = "",
    term: Term = "",
    other: Term = "",
) -> Response:
    """Add a pair (a proposed one too); a refusal is said on the page, in Dutch."""
    try:
        await terms.add_pair(session, field, term, other, principal.email)
    except terms.TermPairError as refused:
        return _back(fout=str(refused))
    return _back(melding=f"“{term.strip()}” en “{other.strip()}” toegevoegd.")


@router.post(f"{PAGE}/{{pair_id}}/verwijderen")
async def remove_pair(
    session: SessionDep, principal: AdminPage, pair_id: Annotated[int, Path(ge=1, le=2**62)]
) -> Response:
    """Take an added pair out of the vocabulary (a pair not in force: nothing to remove)."""
    if not await terms.remove_pair(session, pair_id):
        return _back(fout="Dit paar staat niet (meer) in de woordenlijst.")
    return _back(melding="Paar verwijderd.")


@router.post(f"{PAGE}/afwijzen")
async def dismiss_proposal(
    session: SessionDep,
    principal: AdminPage,
    field: Field = "",
    need_term: Term = "",
    offer_term: Term = "",
) -> Response:
    """Never propose this pair again."""
    if field not in terms.fields():
        return _back(fout="Kies een vakgebied.")
    await term_proposals.dismiss(session, field, need_term, offer_term, principal.email)
    return _back(melding="Voorstel afgewezen.")


def _back(**message: str) -> RedirectResponse:
    return RedirectResponse(f"{PAGE}?{urlencode(message)}", status_code=303)
