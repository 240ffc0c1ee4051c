"""The dashboard says in plain Dutch which ranking orders the suggestions, since when, how much
better it was measured, and which model was withdrawn."""

from datetime import UTC, datetime, timedelta

from services.matcher.learning.standing import Standing, in_dutch

SINCE = datetime.now(UTC) - timedelta(days=3)
FIGURES = {
    "candidate_top1": 1.03, "incumbent_top1": 0.7339, "lift": 0.2932, "lift_low": 0.0004,
    "lift_high": 0.62, "needs": 357, "against": "weights", "min_lift": 0.0,
}  # fmt: skip


def test_without_a_model_the_weights_are_named() -> None:
    assert in_dutch(Standing()) == [
        "De voorstellen worden gerangschikt met de vaste gewichten: afstand, vakgebied, graad, "
        "periode, tekst en capaciteit."
    ]


def test_a_model_in_force_says_since_when_and_its_lift() -> None:
    lines = in_dutch(Standing(version=4, since=SINCE, figures=FIGURES))

    assert lines[0].startswith(f"De voorstellen worden sinds {SINCE:%d/%m/%Y} gerangschikt")
    assert "(versie 4)" in lines[0]
    assert lines[1] == (
        "Op de 357 meest recente behoeften werd het eerste voorstel naar schatting in 100% van "
        "de gevallen aanvaard, tegenover 73% met de vaste gewichten: +29 procentpunt (met 95% "
        "zekerheid tussen +0 procentpunt en +62 procentpunt)."
    )


def test_a_withdrawn_model_is_told_and_a_model_against_a_model_says_so() -> None:
    lines = in_dutch(
        Standing(
            version=3, since=SINCE, figures=FIGURES | {"against": "model in force"},
            withdrawn_version=5, withdrawn_at=SINCE,
        )
    )  # fmt: skip

    assert "met het vorige model" in lines[1]
    assert lines[2] == (
        f"Model 5 werd op {SINCE:%d/%m/%Y} teruggetrokken: het eerste voorstel werd er minder "
        "vaak aanvaard dan met de vaste gewichten."
    )
