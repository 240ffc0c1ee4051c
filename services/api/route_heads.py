"""Routing without trying every router: each included router is asked only about the paths its
routes can match.

FastAPI (0.16x) keeps an included router as one route of the app that, asked whether it matches,
walks its own routes (and checks, on every request, that they did not change); the app asks its
45 routers in turn, so a request to one of the last paid about a third of a signed-in page's
fixed CPU before its route ran. Each router's routes begin with a few literal path segments
(``/api/matches/{match_id}``: ``api``, ``matches``); a request whose path begins with none of
them cannot match any of its routes, fully or partly, so the router answers "no" at once. The
routes tried, their order and what they answer are FastAPI's own: this only skips routers that
could not have matched.
"""

import functools
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from starlette._utils import get_route_path
from starlette.routing import BaseRoute, Match
from starlette.types import Scope

DEPTH = 2  # literal segments a head keeps: /api/<area> tells the API's routers apart
Head = tuple[str, ...]
Matcher = Callable[[Scope], tuple[Match, Scope]]


def skip_unreachable_routers(app: FastAPI) -> None:
    """Let each of ``app``'s included routers refuse at once a path none of its routes can
    match (call it after every router is included)."""
    for route in app.router.routes:
        heads = router_heads(route)
        if heads is not None and () not in heads:
            route.matches = _only_under(heads, route.matches)  # type: ignore[method-assign,assignment]


def router_heads(route: BaseRoute) -> frozenset[Head] | None:
    """The literal heads of an included router's routes (``()`` for a route that may match
    any path), or ``None`` for a route that is not an included router."""
    contexts = getattr(route, "effective_route_contexts", None)
    if contexts is None:
        return None
    return frozenset(head(_path_of(context)) for context in contexts())


def head(path: str) -> Head:
    """The leading literal segments of a route's path, at most ``DEPTH`` (a segment with a
    parameter ends it)."""
    literal: list[str] = []
    for segment in path[1:].split("/")[:DEPTH]:
        if "{" in segment:
            break
        literal.append(segment)
    return tuple(literal)


def heads_of_request(path: str) -> Iterable[Head]:
    """Every head a route matching ``path`` could have."""
    segments = tuple(path[1:].split("/")[:DEPTH])
    return (segments[:length] for length in range(1, len(segments) + 1))


@functools.lru_cache(maxsize=4096)
def _request_heads(path: str) -> frozenset[Head]:
    return frozenset(heads_of_request(path))


def _path_of(context: Any) -> str:
    route = context.starlette_route or context.original_route
    path: str = getattr(route, "path", "")
    return path if path.startswith("/") else "/{any}"  # a route without a path: any


def _only_under(heads: frozenset[Head], matches: Matcher) -> Matcher:
    def matches_if_reachable(scope: Scope) -> tuple[Match, Scope]:
        if scope["type"] == "http" and heads.isdisjoint(_request_heads(get_route_path(scope))):
            return Match.NONE, {}
        return matches(scope)

    return matches_if_reachable
