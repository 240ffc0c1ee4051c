"""``/beoordelen``: the coordinator's review queue of its region, decisions and revocations.

Decisions go through ``services.review.decisions`` exactly as ``/api/matches`` does. The list
polls itself every few seconds; the server answers 204 (nothing to swap) while the version of the
region's queue (``services.review.changes``) is unchanged. A total above the exact-count limit
is the database's estimate, shown as "ongeveer".

The filters are the page's query string: a filter change through htmx pushes ``/beoordelen?…``
into the browser's history (``HX-Push-Url``), so a filtered queue can be bookmarked and Back
shows the filters before. The school filter takes part of a school's name or number, with
suggestions (``/beoordelen/scholen``) as one types.
"""

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from functools import partial
from typing import Annotated, Any, Literal, cast
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.ext.asyncio import AsyncSession

from services.api.deps import SessionDep, get_context
from services.api.offer_places import OfferPlace, place_of
from services.api.pages import queue_fragments
from services.api.pages.access import CoordinatorPage
from services.api.pages.dutch import REFUSALS
from services.api.pages.problems import page_status
from services.api.pages.queue_fragments import CSRF_PLACEHOLDER
from services.api.pages.rendering import is_htmx, render, render_fragment
from services.api.principal import Principal
from services.review import decisions, queries, queue, ratings, remembered, schools
from services.review.rules import Decision, DecisionRefused
from shared.calendar import is_reminder_due
from shared.contracts.matches import ReasonCode
from shared.settings import Settings

router = APIRouter(prefix="/beoordelen", include_in_schema=False)
PAGE_SIZE = 10
LAST_PAGE = 100_000  # as the other pages' ``pagina`` bound
POLL_SECONDS = 3
STATUSES = ("open", "accepted", "rejected", "revoked", "withdrawn")
FILTER_NAMES = ("status", "soort", "vakgebied", "graad", "school", "sortering", "pagina")
MatchIdPath = Annotated[str, Path(max_length=100)]
REMINDER_WORKING_DAYS = Settings().reminder_working_days


def _filters(params: Mapping[str, object]) -> dict[str, str]:
    """The queue's filter fields as the form sent them (unknown names ignored)."""
    chosen = {name: str(params.get(name, "") or "")[:40] for name in FILTER_NAMES}
    chosen["status"] = chosen["status"] if "status" in params else "open"
    return chosen


def _match_filter(chosen: dict[str, str]) -> queries.MatchFilter:
    sort: Literal["score", "age"] = "age" if chosen["sortering"] == "age" else "score"
    return queries.MatchFilter(
        status=chosen["status"] if chosen["status"] in STATUSES else None,
        kind=chosen["soort"] or None,
        field=chosen["vakgebied"] or None,
        grade=chosen["graad"] or None,
        school=chosen["school"].strip() or None,
        sort=sort,
    )


def _page(chosen: dict[str, str]) -> int:
    """The page asked for, 1 when it is no number from 1 to ``LAST_PAGE``."""
    asked = chosen["pagina"]
    return int(asked) if asked.isdecimal() and 1 <= int(asked) <= LAST_PAGE else 1


async def _queue(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    chosen: dict[str, str],
    template: str,
    notice: str = "",
    problem: str = "",
    revocable: str = "",
    remember: bool = True,
    version: str | None = None,
) -> HTMLResponse:
    """The queue as ``chosen``; ``revocable``: the match just accepted, revocable from the
    message that names it. Its cards are remembered per queue version (``queue_fragments``)
    unless ``remember`` is false: after a decision, whose transaction bumps the version only as
    it commits. ``version``: the queue's, if the caller has just read it."""
    page = _page(chosen)
    if version is None:
        version = await remembered.queue_version(
            session, principal.actor
        )  # before what it versions
    query = urlencode({k: v for k, v in chosen.items() if k != "pagina"})

    async def rendered() -> str:
        return await _cards(request, session, principal, chosen, page, query)

    actor = principal.actor
    database = session.get_bind().engine.url.render_as_string()  # each counts its versions
    key = (database, actor.role, actor.rtc_region, *chosen.values(), version)
    cards_html = await queue_fragments.cards(
        key if remember else None, principal.csrf_token or "", rendered
    )
    return render(
        request, template, principal, chosen=chosen, query=query, version=version, page=page,
        poll_seconds=POLL_SECONDS, notice=notice, problem=problem, statuses=STATUSES,
        revocable=revocable, cards_html=cards_html,
    )  # fmt: skip


async def _cards(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    chosen: dict[str, str],
    page: int,
    query: str,
) -> str:
    """The cards of ``page`` of the queue as ``chosen``, with ``CSRF_PLACEHOLDER`` for the
    token of their forms."""
    now = datetime.now(UTC)
    cards, total = await queue.need_cards(
        session,
        principal.actor,
        _match_filter(chosen),
        (page - 1) * PAGE_SIZE,
        PAGE_SIZE,
        lambda suggested_at: is_reminder_due(suggested_at, REMINDER_WORKING_DAYS, now),
        get_context(request).settings.exact_count_limit,
    )
    places, records = _places_and_records(_offers(cards).values())
    shown = [
        queue_fragments.card(
            queue_fragments.card_key(card, places, records),
            partial(
                render_fragment, "_queue_card.html", card=card, places=places, records=records,
                csrf_token=CSRF_PLACEHOLDER, reminder_days=REMINDER_WORKING_DAYS,
            ),
        )
        for card in cards
    ]  # fmt: skip
    return render_fragment(
        "_queue_cards.html", cards=shown, total=total, query=query, page=page,
        pages=max(1, -(-total.value // PAGE_SIZE)),
    )  # fmt: skip


def _offers(cards: list[queue.NeedCard]) -> dict[str, queue.Offer]:
    """The offers of every candidate the cards show, their bundled replacements' too, by id."""
    parts = [*cards, *(card.replacement for card in cards if card.replacement)]
    return {c.offer.offer_id: c.offer for part in parts for c in (*part.candidates, *part.accepted)}


def _places_and_records(
    offers: Iterable[Any],
) -> tuple[dict[str, OfferPlace], dict[str, ratings.TrackRecord]]:
    """Offer id -> its place, and enterprise number -> its track record (those schools rated),
    of the offers of the cards' rows (``services.review.card_rows``, which read both)."""
    places = {offer.offer_id: place_of(offer) for offer in offers}
    records = {
        offer.enterprise_number: record
        for offer in offers
        if (record := ratings.as_track_record(offer.rating_average, offer.rating_count))
    }
    return places, records


def queue_url(chosen: dict[str, str]) -> str:
    """The address of the queue as filtered (what a bookmark keeps); the first page leaves
    ``pagina`` out, as do empty filters other than ``status`` ("alle")."""
    kept = {k: v for k, v in chosen.items() if v or k == "status"}
    if _page(chosen) == 1:
        kept.pop("pagina", None)
    return f"/beoordelen?{urlencode(kept)}"


@router.get("", response_class=HTMLResponse)
async def queue_page(request: Request, session: SessionDep, principal: CoordinatorPage) -> Response:
    """The queue with its filters."""
    return await _queue(request, session, principal, _filters(request.query_params), "review.html")


@router.get("/lijst", response_class=HTMLResponse)
async def queue_list(request: Request, session: SessionDep, principal: CoordinatorPage) -> Response:
    """The list alone (htmx); 204, without building it, while ``versie`` is the version of the
    coordinator's queue."""
    version = await remembered.queue_version(session, principal.actor)
    if request.query_params.get("versie") == version:
        return Response(status_code=204)
    chosen = _filters(request.query_params)
    answer = await _queue(request, session, principal, chosen, "review_list.html", version=version)
    if request.headers.get("HX-Trigger") == "filters":  # the form, not the poller
        answer.headers["HX-Push-Url"] = queue_url(chosen)
    return answer


@router.get("/scholen", response_class=HTMLResponse)
async def school_suggestions(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    school: Annotated[str, Query(max_length=40)] = "",
) -> Response:
    """The schools of the coordinator's region whose name or number holds what was typed, as
    the options of the school filter's list."""
    found = await schools.schools_named(session, principal.actor, school)
    return render(request, "_school_options.html", principal, schools=found)


async def _pair(session: AsyncSession, principal: Principal, match_id: str) -> str:
    """ "need ↔ offer" of a match the principal may see, for the message after a decision."""
    found = await queries.find_match(session, principal.actor, match_id)
    return "" if found is None else f"{found[1].title} ↔ {found[2].title}"


async def _after(
    request: Request,
    session: AsyncSession,
    principal: Principal,
    notice: str,
    refusal: DecisionRefused | None = None,
    revocable: str = "",
) -> Response:
    """The queue after a decision; a refusal answers 422 (a field to fix) or 409 (the match's
    state) with its Dutch reason, in the list (htmx) or the whole page."""
    if refusal is None and not is_htmx(request):
        return RedirectResponse("/beoordelen", status_code=303)
    chosen = _filters(await request.form())
    template = "review_list.html" if is_htmx(request) else "review.html"
    problem = REFUSALS[refusal.code] if refusal else ""
    answer = await _queue(
        request, session, principal, chosen, template, notice, problem, revocable, remember=False
    )
    if refusal is not None:
        answer.status_code = page_status(refusal)
    return answer


@router.post("/{match_id}/beslissing", response_class=HTMLResponse)
async def decision_form(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    match_id: MatchIdPath,
    decision: Annotated[str, Form(max_length=10)],
    reason_code: Annotated[str, Form(max_length=20)] = "",
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Accept or reject one suggestion."""
    # Both are checked by the review's rules, which refuse anything else.
    code = cast(ReasonCode | None, reason_code or None)
    try:
        await decisions.make_decision(
            session, match_id, cast(Decision, decision), code, reason, principal.actor
        )
    except DecisionRefused as refusal:
        return await _after(request, session, principal, "", refusal)
    done = "aanvaard" if decision == "accepted" else "afgewezen"
    pair = await _pair(session, principal, match_id)
    accepted = match_id if decision == "accepted" else ""
    return await _after(request, session, principal, f"Voorstel {done}: {pair}", None, accepted)


@router.post("/{match_id}/intrekking", response_class=HTMLResponse)
async def revoke(
    request: Request,
    session: SessionDep,
    principal: CoordinatorPage,
    match_id: MatchIdPath,
    reason: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    """Call off an accepted match."""
    try:
        await decisions.revoke(session, match_id, reason, principal.actor)
    except DecisionRefused as refusal:
        return await _after(request, session, principal, "", refusal)
    pair = await _pair(session, principal, match_id)
    return await _after(request, session, principal, f"Aanvaarding ingetrokken: {pair}")
