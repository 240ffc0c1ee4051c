"""An offer's timeline figure as the pages write it (pure: no stack): every text escaped, the
Dutch words, the same bookings as a table, remembered by what it shows; and an offer's progress
from its bookings."""

from datetime import date, timedelta

from markupsafe import Markup

from services.api.pages.timeline_figures import timeline_figure
from services.review.bookings import Booking
from services.review.progress import offer_progress
from services.review.rotation_plans import Bar, ShownOffer, Timeline

TODAY = date.today()


def _bar(match_id: str, school: str, start: int, step: str = "accepted") -> Bar:
    first = TODAY + timedelta(days=start)
    last = first + timedelta(days=9)
    return Bar(match_id, school, "Stage <lassen>", first, last, last, 1, (0,), step=step)


def _timeline(*bars: Bar, capacity: int = 1) -> Timeline:
    return Timeline(
        "of-1", 'Lasrobot "R2" & co', "Garage <Peeters>", capacity, 0, TODAY,
        TODAY + timedelta(days=60), bars,
    )  # fmt: skip


def test_every_text_is_escaped_and_said_in_dutch() -> None:
    figure = timeline_figure(
        _timeline(_bar("m<1>", "<script>alert(1)</script>", 0, step="cancelled")),
        "tl-1",
        "Uitleningen van <b>Lasrobot</b> per eenheid",
    )
    assert isinstance(figure, Markup)
    assert "<script>" not in figure and "<b>" not in figure
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in figure
    assert 'data-match-id="m&lt;1&gt;"' in figure
    assert "Tijdlijn van Lasrobot &#34;R2&#34; &amp; co: 1 uitlening over 1 eenheid" in figure
    assert '<g class="bar cancelled"' in figure and "(geannuleerd)" in figure
    assert "Uitleningen van &lt;b&gt;Lasrobot&lt;/b&gt; per eenheid als tabel" in figure
    assert "Stage &lt;lassen&gt;" in figure


def test_the_table_lists_every_booking_with_its_units_and_stand() -> None:
    bars = (
        _bar("m-1", "VTI Brugge", 0),
        Bar(
            "m-2", "GO! Atheneum", "Stage", TODAY + timedelta(days=20),
            TODAY + timedelta(days=24), TODAY + timedelta(days=26), 2, (0, 1), planned=True,
        ),
    )  # fmt: skip
    figure = timeline_figure(_timeline(*bars, capacity=2), "rot-2", "Uitleningen")
    assert figure.count("<tr data-match-id=") == 2
    assert "2 uitleningen over 2 eenheden" in figure
    assert "<td>1, 2</td>" in figure and '<g class="bar planned"' in figure
    assert "<td>voorgesteld</td>" in figure and "<td>aanvaard</td>" in figure
    assert f"<td>{(TODAY + timedelta(days=26)):%d/%m/%Y}</td>" in figure  # free after the check
    assert figure.count('class="turnaround"') == 3  # one a unit, the first bar's of no days


def test_a_figure_is_remembered_by_what_it_shows() -> None:
    shown = _timeline(_bar("m-1", "VTI Brugge", 0))
    again = timeline_figure(_timeline(_bar("m-1", "VTI Brugge", 0)), "tl-1", "Uitleningen")
    assert timeline_figure(shown, "tl-1", "Uitleningen") is again
    moved = timeline_figure(_timeline(_bar("m-1", "VTI Brugge", 3)), "tl-1", "Uitleningen")
    assert moved != again


def test_an_offer_lent_in_time_counts_its_busiest_day() -> None:
    offer = ShownOffer("of-1", "Lasrobot", "Garage", 2, 1, 0, TODAY, TODAY + timedelta(days=60))
    first = Booking(TODAY, TODAY + timedelta(days=4), 1)
    second = Booking(TODAY + timedelta(days=2), TODAY + timedelta(days=8), 1)
    assert (
        offer_progress(offer, [first, second]).label == "2 van 2 plaatsen geboekt op de drukste dag"
    )
    assert offer_progress(offer, [first]).label == "1 van 2 plaatsen geboekt"
    assert offer_progress(offer, []).taken == 1  # none booked in time: its capacity_used
