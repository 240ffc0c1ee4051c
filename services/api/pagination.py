"""Page parameters shared by every list route (page size capped)."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Query

MAX_PAGE_SIZE = 100


@dataclass(frozen=True, slots=True)
class PageRequest:
    """Which page of a list: 1-based ``page`` of ``page_size`` items."""

    page: int
    page_size: int

    @property
    def offset(self) -> int:
        """Rows before this page."""
        return (self.page - 1) * self.page_size


async def page_request(
    page: Annotated[int, Query(ge=1, le=100_000, description="1-based page number.")] = 1,
    page_size: Annotated[
        int, Query(ge=1, le=MAX_PAGE_SIZE, description=f"Items per page, at most {MAX_PAGE_SIZE}.")
    ] = 20,
) -> PageRequest:
    """The page asked for (a coroutine: FastAPI runs a plain function's in a worker thread)."""
    return PageRequest(page, page_size)


PageDep = Annotated[PageRequest, Depends(page_request)]
