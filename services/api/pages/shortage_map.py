"""The shortage radar's map of Flanders, drawn on the server as SVG (no tiles, no script): every
postal-code locality of ``shared/data/postcodes.csv`` as a faint dot tinted by its RTC region, and
a circle, sized and coloured on the radar's scale, where schools have open needs without a match.
The same figures go in a table beside it."""

import math
from dataclasses import dataclass
from functools import cache

from services.api.pages.heat import heat_level
from shared import taxonomy

WIDTH = 800.0
MARGIN = 12.0


@dataclass(frozen=True, slots=True)
class MapSpot:
    """A postal code with open needs: where it is drawn and what the table says of it."""

    postal_code: str
    locality: str
    rtc_region: str
    needs: int
    level: int
    x: float
    y: float
    radius: float


@dataclass(frozen=True, slots=True)
class RegionLayer:
    """One RTC region's localities as one SVG path of dots, and where its name goes."""

    name: str
    index: int
    dots: str
    label_x: float
    label_y: float


@dataclass(frozen=True, slots=True)
class ShortageMap:
    """The map's size, its base layer, its circles (largest first, so small ones stay on top)
    and the needs whose postal code it does not know."""

    width: float
    height: float
    regions: list[RegionLayer]
    spots: list[MapSpot]
    unplaced: int


@dataclass(frozen=True, slots=True)
class _Frame:
    west: float
    north: float
    x_scale: float
    y_scale: float

    def point(self, place: taxonomy.Place) -> tuple[float, float]:
        x = MARGIN + (place.longitude - self.west) * self.x_scale
        y = MARGIN + (self.north - place.latitude) * self.y_scale
        return round(x, 1), round(y, 1)


@cache
def _frame() -> tuple[_Frame, float]:
    """An equirectangular projection at Flanders' mean latitude, fitted to ``WIDTH``."""
    places = taxonomy.places().values()
    west, east = min(p.longitude for p in places), max(p.longitude for p in places)
    south, north = min(p.latitude for p in places), max(p.latitude for p in places)
    shrink = math.cos(math.radians((north + south) / 2))
    scale = (WIDTH - 2 * MARGIN) / ((east - west) * shrink)
    height = round((north - south) * scale + 2 * MARGIN, 1)
    return _Frame(west, north, scale * shrink, scale), height


@cache
def _regions() -> tuple[RegionLayer, ...]:
    frame, _ = _frame()
    by_region: dict[str, list[tuple[float, float]]] = {}
    for place in taxonomy.places().values():
        by_region.setdefault(place.rtc_region, []).append(frame.point(place))
    layers = []
    for index, (name, points) in enumerate(sorted(by_region.items())):
        dots = "".join(f"M{x:g} {y:g}h0" for x, y in points)
        label_x = sum(x for x, _ in points) / len(points)
        label_y = sum(y for _, y in points) / len(points)
        layers.append(RegionLayer(name, index, dots, round(label_x, 1), round(label_y, 1)))
    return tuple(layers)


def shortage_map(needs_per_postal_code: dict[str, int]) -> ShortageMap:
    """The map of the open needs without a match, counted per school postal code."""
    frame, height = _frame()
    places = taxonomy.places()
    spots = []
    for code, needs in needs_per_postal_code.items():
        if (place := places.get(code)) is None or needs <= 0:
            continue
        x, y = frame.point(place)
        radius = round(3 + 2.5 * math.sqrt(needs), 1)
        spots.append(
            MapSpot(code, place.locality, place.rtc_region, needs, heat_level(needs), x, y, radius)
        )
    spots.sort(key=lambda spot: (-spot.needs, spot.postal_code))
    unplaced = sum(n for code, n in needs_per_postal_code.items() if code not in places)
    return ShortageMap(WIDTH, height, list(_regions()), spots, unplaced)
