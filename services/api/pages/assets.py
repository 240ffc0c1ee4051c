"""Static files of the pages: our own (``services/api/static``) and, from ``node_modules``, only
the front-end library files the pages load (declared in the top-level package.json)."""

import os
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

OWN_STATIC = Path(__file__).resolve().parent.parent / "static"
NODE_MODULES = Path(
    os.environ.get("SCHAKEL_NODE_MODULES", Path(__file__).resolve().parents[3] / "node_modules")
)
# The only files served from node_modules: the pages' libraries, nothing else npm installed.
VENDOR_FILES = frozenset(
    {
        "htmx.org/dist/htmx.min.js",
        "chart.js/dist/chart.umd.min.js",
        "swagger-ui-dist/swagger-ui-bundle.js",
        "swagger-ui-dist/swagger-ui.css",
    }
)


class VendorFiles(StaticFiles):
    """``node_modules`` through an allow-list of dist files."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """404 for anything not on the allow-list."""
        if path not in VENDOR_FILES:
            return Response("Not Found", status_code=404, media_type="text/plain")
        return await super().get_response(path, scope)


def own_files() -> StaticFiles:
    """Our CSS and JavaScript."""
    return StaticFiles(directory=OWN_STATIC)


def vendor_files() -> StaticFiles:
    """The library files; a missing node_modules (``npm install`` not run) serves 404s."""
    return VendorFiles(directory=NODE_MODULES, check_dir=False)
