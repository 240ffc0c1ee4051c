"""Review's listings count through the shared rule (``shared.counting``): exact up to a bound,
the planner's estimate above."""

from shared.counting import Count, counted, estimated

__all__ = ["Count", "counted", "estimated"]
