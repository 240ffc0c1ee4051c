"""Skipping routers that cannot match changes no routing: for every route of the app (its path
with each parameter filled, with and without a trailing slash, a segment more, a near miss) and
every method, each router answers what FastAPI's own matching answers, and the app picks the
same route. Pure: no stack."""

import re
from typing import Any

from starlette.routing import BaseRoute, Match

from services.api.app import app
from services.api.route_heads import head, heads_of_request, router_heads

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")


def _paths() -> set[str]:
    paths = {"/", "/nergens", "/api", "/api/", "/api/nergens", "/static/app.css", "/apix"}
    for route in app.router.routes:
        for context in getattr(route, "effective_route_contexts", lambda: [])():
            path = getattr(context.starlette_route or context.original_route, "path", "")
            filled = re.sub(r"\{[^}]+\}", "7", path)
            paths |= {filled, filled.rstrip("/") + "/", filled + "/extra", filled + "x"}
    return paths


def _scope(path: str, method: str) -> dict[str, Any]:
    return {"type": "http", "path": path, "root_path": "", "method": method, "headers": []}


def _unchanged(route: BaseRoute, scope: dict[str, Any]) -> tuple[Match, dict[str, Any]]:
    return type(route).matches(route, scope)


def _first(scope: dict[str, Any], asked: Any) -> tuple[int, Match] | None:
    for index, route in enumerate(app.router.routes):
        match, _ = asked(route, dict(scope))
        if match != Match.NONE:
            return index, match
    return None


def test_every_router_answers_as_fastapi_does() -> None:
    paths = _paths()
    assert len(paths) > 400
    for path in paths:
        for method in METHODS:
            scope = _scope(path, method)
            fast = _first(scope, lambda route, s: route.matches(s))
            assert fast == _first(scope, _unchanged), (method, path)


def test_routers_are_skipped() -> None:
    skipping = [route for route in app.router.routes if "matches_if_reachable" in str(
        getattr(route, "matches", "")
    )]  # fmt: skip
    assert len(skipping) > 40
    api = router_heads(app.router.routes[1])
    assert api is not None and () not in api


def test_heads() -> None:
    assert head("/") == ("",)
    assert head("/api/matches/{match_id}") == ("api", "matches")
    assert head("/rotatie/{offer_id}") == ("rotatie",)
    assert head("/{path:path}") == ()
    assert head("/bestand.{soort}") == ()
    assert list(heads_of_request("/api/matches/7")) == [("api",), ("api", "matches")]
    assert list(heads_of_request("/")) == [("",)]
