"""One candidate of a review queue card as the page shows it, written as one string with every
text escaped (a Jinja global of the pages: ``candidate``, ``revoke_form``, ``track_record``).

A queue page shows up to a hundred candidates, and the first request after a change renders them
all; as a Jinja macro a candidate cost about four times what this does (the macro call, a filter
call and an attribute lookup per value). The markup is the macro's, byte for byte.
"""

from collections.abc import Mapping
from typing import Any

from jinja2.filters import do_urlencode
from markupsafe import Markup, escape

from services.api.pages.dutch import (
    REASON_CODES,
    component_nl,
    day,
    kind_label,
    percent,
    reason_nl,
    status_nl,
    when,
)

_HX = 'hx-target="#wachtrij" hx-swap="outerHTML" hx-include="#filters" hx-sync="#filters:queue all"'
# The reasons a rejection names, written once for every form that asks one.
_REASON_OPTIONS = "".join(
    f'<option value="{escape(code)}">{escape(label)}</option>'
    for code, label in REASON_CODES.items()
)


def track_record(record: Any) -> Markup:
    """What schools said of a provider (``services.review.ratings.TrackRecord``), or "nog geen"."""
    if not record:
        return Markup("nog geen")
    counted = "beoordeling" if record.count == 1 else "beoordelingen"
    average = f"{record.average:.1f}".replace(".", ",")
    return Markup(f"{escape(average)} op 5 ({escape(record.count)} {counted})")  # noqa: S704 - escaped


def revoke_form(match_id: str, csrf_token: str, summary: str, where: str) -> Markup:
    """The form that calls off an accepted match (``where`` keeps its ids apart on a page)."""
    at, label = escape(match_id), f"rv-{escape(where)}-{escape(match_id)}"
    return Markup(  # noqa: S704 - every text in it escaped
        f'<details class="revoke">\n  <summary>{escape(summary)}</summary>\n'
        f'  <form method="post" action="/beoordelen/{at}/intrekking"'
        f' hx-post="/beoordelen/{at}/intrekking"\n        {_HX} class="stack"\n'
        '        hx-confirm="De aanvaarding intrekken? School en aanbieder krijgen bericht.">\n'
        f'    <input type="hidden" name="csrf_token" value="{escape(csrf_token)}">\n'
        f'    <div class="field"><label for="{label}">Waarom?</label>\n'
        f'      <textarea id="{label}" name="reason" rows="2" maxlength="2000" required>'
        "</textarea></div>\n"
        '    <button type="submit" class="danger">Intrekken</button>\n  </form>\n</details>\n'
    )


def candidate(
    c: Any,
    places: Mapping[str, Any],
    records: Mapping[str, Any],
    csrf_token: str,
    reminder_days: int,
) -> Markup:
    """One candidate (``services.review.queue.Candidate``) of a card: the offer, its score and
    components, distance, period, availability and what was decided, with the forms its status
    allows."""
    m, offer = c.match, c.offer
    at, status = escape(m.match_id), m.status
    place = places.get(offer.offer_id)
    return Markup(  # noqa: S704 - every text in it escaped
        f'<article class="candidate{" is-late" if c.late else ""}" data-match-id="{at}"'
        f' aria-labelledby="t-{at}">\n  <h4 id="t-{at}">{escape(offer.title)}</h4>\n'
        f'  <p class="muted">{escape(offer.provider_name)}'
        f"{_locality(place)} · {escape(kind_label(m.kind))}</p>\n"
        f"{_record(records.get(offer.enterprise_number))}"
        f'  <p><span class="score">{escape(percent(m.score))}</span> score · rang'
        f' {escape(m.rank)}\n    <span class="badge status-{escape(status)}">'
        f"{escape(status_nl(status))}</span>\n{_late(c.late, reminder_days)}</p>\n"
        f'  <div class="bars">\n{_bars(at, m.components)}  </div>\n'
        f"{_distance(c, place)}"
        f'  <p class="explanation">{escape(m.explanation)}</p>\n'
        f"{_availability(c.availability)}{_rotation(status, offer.offer_id)}"
        f"{_decided(m)}{_decide(at, status, m.step, csrf_token)}</article>\n"
    )


def _locality(place: Any) -> str:
    if not (place and place.locality):
        return ""
    return f' · <span class="place">{escape(place.locality)}</span>'


def _record(record: Any) -> str:
    if not record:
        return ""
    return f'<p class="track-record">Beoordeling door scholen: {track_record(record)}</p>'


def _late(late: bool, reminder_days: int) -> str:
    if not late:
        return ""
    return f'<span class="badge late">Wacht langer dan {escape(reminder_days)} werkdagen</span>'


def _bars(at: Markup, components: Mapping[str, float] | None) -> str:
    """Each score component as its name, a meter and its percentage."""
    return "".join(
        f'    <span id="c-{at}-{name}">{escape(component_nl(key))}</span>\n'
        f'    <meter min="0" max="1" value="{escape(value)}" aria-labelledby="c-{at}-{name}">'
        f"{shown}</meter>\n    <span>{shown}</span>\n"
        for key, value in (components or {}).items()
        for name, shown in ((escape(key), escape(percent(value))),)
    )


def _distance(c: Any, place: Any) -> str:
    km = int(round(c.match.distance_km or 0, 0))
    far = f"{km} km van de school"
    shown = f"Wordt geleverd ({far})" if place and place.delivered else far
    period = c.offer_period
    offered = f" · aanbod {escape(day(period[0]))}–{escape(day(period[1]))}" if period else ""
    return f'  <p class="distance">{shown}\n{offered}</p>\n'


def _availability(availability: str) -> str:
    return f'<p class="availability">{escape(availability)}</p>' if availability else ""


def _rotation(status: str, offer_id: str) -> str:
    if status != "open":
        return ""
    return (
        f'<p><a href="/rotatie/{escape(do_urlencode(offer_id))}">Rotatieplan van dit aanbod</a></p>'
    )


def _decided(m: Any) -> str:
    """When it was suggested and decided, and why it was rejected or revoked."""
    decided_at = m.decided_at
    shown = f'  <p class="muted">Voorgesteld {escape(when(m.suggested_at))}'
    shown += f" · beslist {escape(when(decided_at))}</p>\n" if decided_at else "</p>\n"
    reason_code, reason = m.reason_code, m.reason
    if reason_code or reason:
        why = f" — {escape(reason)}" if reason else ""
        shown += f"<p>Reden: {escape(reason_nl(reason_code))}{why}</p>"
    if m.revoke_reason:
        shown += f"<p>Ingetrokken: {escape(m.revoke_reason)}</p>"
    return shown


def _decide(at: Markup, status: str, step: str | None, csrf_token: str) -> str:
    """The forms the status allows: accept or reject an open one, revoke an accepted one."""
    if status == "accepted" and step != "cancelled":
        return f"  {revoke_form(at, csrf_token, 'Aanvaarding intrekken', 'c')}\n"
    if status != "open":
        return ""
    token = f'<input type="hidden" name="csrf_token" value="{escape(csrf_token)}">'
    action = f'action="/beoordelen/{at}/beslissing" hx-post="/beoordelen/{at}/beslissing"'
    return (
        f'  <div class="decide">\n    <form method="post" {action}\n          {_HX}>\n'
        f'      {token}\n      <input type="hidden" name="decision" value="accepted">\n'
        '      <button type="submit">Aanvaarden</button>\n    </form>\n    <details>\n'
        f'      <summary>Afwijzen</summary>\n      <form method="post" {action}\n'
        f'            {_HX} class="stack">\n        {token}\n'
        '        <input type="hidden" name="decision" value="rejected">\n'
        f'        <div class="field"><label for="rc-{at}">Reden</label>\n'
        f'          <select id="rc-{at}" name="reason_code" required>\n'
        f'            <option value="">Kies een reden</option>\n{_REASON_OPTIONS}'
        "          </select></div>\n"
        f'        <div class="field"><label for="rt-{at}">Toelichting</label>\n'
        f'          <textarea id="rt-{at}" name="reason" rows="2" maxlength="2000"></textarea>'
        "</div>\n"
        '        <button type="submit" class="danger">Afwijzen</button>\n'
        "      </form>\n    </details>\n  </div>\n"
    )
