"""The shortage radar's one colour scale: absolute counts, the same in every region's table and on
the map, so a colour means the same number of open needs everywhere."""

from dataclasses import dataclass

# The lowest count of heat levels 1..4 (level 0: none). Absolute, never relative to a table.
HEAT_BOUNDS = (1, 2, 4, 8)


@dataclass(frozen=True, slots=True)
class HeatStep:
    """One step of the legend: its level (the CSS class ``h<level>``) and the counts it covers."""

    level: int
    label: str


def heat_level(count: int) -> int:
    """The level 0-4 of ``count`` open needs."""
    return sum(count >= bound for bound in HEAT_BOUNDS)


def heat_legend() -> list[HeatStep]:
    """The legend, level 0 first: "0", "1", "2-3", "4-7", "8 of meer"."""
    steps = [HeatStep(0, "0")]
    for level, low in enumerate(HEAT_BOUNDS, start=1):
        if level == len(HEAT_BOUNDS):
            label = f"{low} of meer"
        else:
            high = HEAT_BOUNDS[level] - 1
            label = str(low) if high == low else f"{low}\u2013{high}"
        steps.append(HeatStep(level, label))
    return steps
