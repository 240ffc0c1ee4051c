"""The words the pages use for how far accepted matches took a posting."""

from services.review.progress import Progress


def test_progress_reads_as_the_pages_say_it() -> None:
    assert Progress("offer", 1, 2).label == "1 van 2 plaatsen geboekt"
    assert Progress("need", 0, 1).label == "0 van 1 plaats geboekt"
    assert (Progress("offer", 2, 2).label, Progress("need", 3, 3).label) == ("volzet", "vervuld")
    assert not Progress("offer", 1, 2).full and Progress("need", 1, 1).full


def test_an_offer_lent_in_time_is_full_only_when_no_day_has_a_unit_left() -> None:
    # One of two cars booked for the autumn: one place taken on the busiest day, none on the freest.
    autumn = Progress("offer", 1, 2, freest=0)
    assert autumn.label == "1 van 2 plaatsen geboekt op de drukste dag"
    # Both cars out in the autumn, free in the spring: taken on the busiest day, not "volzet".
    both_out = Progress("offer", 2, 2, freest=0)
    assert not both_out.full
    assert both_out.label == "2 van 2 plaatsen geboekt op de drukste dag"
    assert Progress("offer", 2, 2, freest=2).label == "volzet"
    assert Progress("offer", 1, 2, freest=1).label == "1 van 2 plaatsen geboekt"
