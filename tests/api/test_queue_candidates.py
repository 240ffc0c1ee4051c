"""A candidate on a review queue card (``services/api/pages/queue_candidates.py``): what it says
of the offer and the suggestion, every text escaped, and the forms its status allows."""

from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

from services.api.offer_places import OfferPlace
from services.api.pages.queue_candidates import candidate
from services.review.queue import Candidate
from services.review.ratings import TrackRecord

SUGGESTED = datetime.now(UTC) - timedelta(days=2)


def _shown(status: str, late: bool = False, step: str | None = None, **offer: object) -> str:
    match = SimpleNamespace(
        match_id="m-1", status=status, step=step, kind="teacher_internship", score=0.876, rank=2,
        components={"distance": 0.5}, distance_km=11.6, explanation="Dichtbij <b>", reason=None,
        suggested_at=SUGGESTED, decided_at=None, reason_code=None, revoke_reason=None,
    )  # fmt: skip
    shown = SimpleNamespace(
        offer_id="o 1", title="Werkplaats <A&B>", provider_name="Garage", enterprise_number="0403"
    )
    for name, value in offer.items():
        setattr(shown, name, value)
    places = {"o 1": OfferPlace("Genk", delivered=True)}
    records = {"0403": TrackRecord(4.25, 3)}
    return str(candidate(Candidate(match, shown, late, None), places, records, "tok", 3))


def test_an_open_candidate_shows_its_offer_escaped_and_can_be_accepted_or_rejected() -> None:
    shown = _shown("open", late=True)

    assert "Werkplaats &lt;A&amp;B&gt;" in shown and "Dichtbij &lt;b&gt;" in shown
    assert 'Garage · <span class="place">Genk</span> · Bedrijfsstage leraar' in shown
    assert "Beoordeling door scholen: 4,2 op 5 (3 beoordelingen)" in shown
    assert "Wordt geleverd (12 km van de school)" in shown
    assert "Wacht langer dan 3 werkdagen" in shown
    assert '<a href="/rotatie/o%201">' in shown
    assert shown.count('name="csrf_token" value="tok"') == 2  # accept and reject
    assert "/beoordelen/m-1/intrekking" not in shown


def test_an_accepted_candidate_can_be_revoked_unless_cancelled() -> None:
    accepted = _shown("accepted")
    assert "/beoordelen/m-1/intrekking" in accepted and "/beslissing" not in accepted
    assert "/intrekking" not in _shown("accepted", step="cancelled")
    assert "<form" not in _shown("rejected") and "Wacht langer" not in _shown("rejected")
