"""The words the pages use for how far accepted matches took a posting."""

from services.review.progress import Progress


def test_progress_reads_as_the_pages_say_it() -> None:
    assert Progress("offer", 1, 2).label == "1 van 2 plaatsen geboekt"
    assert Progress("need", 0, 1).label == "0 van 1 plaats geboekt"
    assert (Progress("offer", 2, 2).label, Progress("need", 3, 3).label) == ("volzet", "vervuld")
    assert not Progress("offer", 1, 2).full and Progress("need", 1, 1).full
