"""Enterprise numbers (KBO) follow one mod-97 rule, for checking what people type and for
making valid numbers (demo, tests)."""

import pytest
from pydantic_core import PydanticCustomError

from shared import validation


@pytest.mark.parametrize("first_eight", [0, 1, 97, 4_031_707, 10_223_995, 19_999_999])
def test_every_made_number_passes_the_check_and_keeps_its_format(first_eight: int) -> None:
    made = validation.enterprise_number_of(first_eight)
    assert validation.enterprise_number(made) == made
    assert validation.enterprise_number(f"BE {made.replace('.', '')}") == made


def test_known_numbers_pass_and_a_changed_check_digit_fails() -> None:
    assert validation.enterprise_number("0403170701") == "0403.170.701"
    with pytest.raises(PydanticCustomError, match="mod-97"):
        validation.enterprise_number("0403.170.702")
