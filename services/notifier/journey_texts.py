"""Dutch mail texts of the journey after acceptance: a cancellation for the parties, and for the
next school of a rotation, that the unit is on its way. User text is escaped (``render``)."""

from datetime import date

from services.notifier.routing import Party
from services.notifier.templates import MatchFacts, Message, match_rows, render, to_match
from shared.calendar import dutch_span


def cancelled(facts: MatchFacts, recipient: Party, reason: str) -> Message:
    """An accepted match that one party cancelled, for both parties, with the reason."""
    return render(
        f"Match geannuleerd: {facts.school.name} en {facts.provider.name}",
        f"Beste {recipient.contact_name}, deze match werd geannuleerd. De resterende dagen zijn "
        "weer vrij voor andere scholen.",
        [*match_rows(facts)[:4], ("Reden", reason)],
        "Vragen? Neem contact op met de andere partij of met de RTC-coördinator.",
        to_match(facts),
    )


def on_its_way(facts: MatchFacts, first: date, last: date) -> Message:
    """For the next school of a rotation: the previous school is done, the unit comes next."""
    return render(
        f"Het toestel komt naar u: {facts.offer_title}",
        f"Beste {facts.school.contact_name}, de vorige school heeft {facts.offer_title} "
        f"teruggegeven. Uw uitlening loopt {dutch_span(first, last)}.",
        match_rows(facts)[:5],
        f"Spreek de levering af met {facts.provider.name}.",
        to_match(facts),
    )
