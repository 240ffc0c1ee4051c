"""The queue's school filter takes part of a school's name or number in any case, and the
schools suggested as one types are those of the reviewer's regions, by the same rule."""

from datetime import datetime

from services.review.actors import Actor
from services.review.queries import MatchFilter
from services.review.queue import need_cards
from services.review.schools import schools_named
from tests.notifier import events
from tests.notifier.builders import unique
from tests.review.conftest import Sessions, suggested_pairs

LIMBURG = Actor.coordinator("rtc@limburg.example", "Limburg")


def _never(_: datetime) -> bool:
    return False


async def _needs_of(sessions: Sessions, school: str) -> set[str]:
    async with sessions() as session:
        cards, _ = await need_cards(session, LIMBURG, MatchFilter(school=school), 0, 10, _never)
    return {card.need.need_id for card in cards}


async def test_a_school_is_found_by_part_of_its_name_or_number_in_any_case(
    sessions: Sessions,
) -> None:
    run = unique("vti")  # e.g. "vti-1a2b3c4d5e"
    need = events.need("3500", school_name=f"VTI Sint-Jozef {run.upper()} 50% & co")
    await suggested_pairs(sessions, [need], events.offer())
    number = need.school.institution_number

    assert await _needs_of(sessions, run) == {need.need_id}  # lower case finds upper case
    assert await _needs_of(sessions, f"jozef {run}") == {need.need_id}
    assert await _needs_of(sessions, number) == {need.need_id}
    assert need.need_id in await _needs_of(sessions, number[1:5])
    assert await _needs_of(sessions, f"{run} 5_%") == set()  # wildcards are plain characters
    assert await _needs_of(sessions, f"{run} 50%") == {need.need_id}


async def test_suggestions_are_the_schools_of_the_reviewers_regions(sessions: Sessions) -> None:
    run = unique("lutgardis")
    near = events.need("3500", school_name=f"Sint-Lutgardis {run} Hasselt")
    far = events.need("8000", school_name=f"Sint-Lutgardis {run} Brugge")
    await suggested_pairs(sessions, [near, far], events.offer())

    async with sessions() as session:
        found = await schools_named(session, LIMBURG, run.upper())
        assert [(s.name, s.institution_number) for s in found] == [
            (near.school.name, near.school.institution_number)
        ]
        assert await schools_named(session, LIMBURG, "   ") == []
        no_reviewer = Actor("coordinator", "rtc@nowhere.example")
        assert await schools_named(session, no_reviewer, run) == []
