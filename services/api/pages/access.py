"""Who may open a page: anonymous callers are sent to the sign-in page, other roles get a Dutch
403 page. Built on the API's own ``optional_principal`` (cookie session, CSRF on forms)."""

import re
from typing import Annotated, Any
from urllib.parse import quote, unquote

from fastapi import Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from services.api.deps import OptionalUser
from services.api.pages.rendering import render
from services.api.principal import Principal
from shared.accounts import Role


class SignInRequired(Exception):  # noqa: N818 - an answer, not a failure
    """The page needs a signed-in user."""

    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


class WrongRole(Exception):  # noqa: N818
    """Signed in, but the page belongs to another role."""

    def __init__(self, principal: Principal) -> None:
        super().__init__(principal.role)
        self.principal = principal


# A path of this app, with its query: one slash, then URL-safe ASCII only. No second slash or
# backslash up front (``//host``, ``/\host``), and nothing a browser strips or rewrites (tabs,
# newlines, backslashes, spaces, control and non-ASCII characters) that could make it one.
LOCAL_PATH = re.compile(r"/(?![/\\])[A-Za-z0-9\-._~!$&'()*+,;=:@/?%]*")


def safe_next(path: str | None) -> str | None:
    """A path of this app to go back to after signing in, or ``None`` for anything that could
    lead elsewhere, even once percent-decoded."""
    if path and LOCAL_PATH.fullmatch(path) and LOCAL_PATH.fullmatch(unquote(path)):
        return path
    return None


def page_role(*roles: Role) -> Any:
    """A dependency for pages of ``roles``: sign-in page when anonymous, 403 page otherwise."""

    async def principal_with_role(request: Request, principal: OptionalUser) -> Principal:
        if principal is None:
            raise SignInRequired(request.url.path)
        if principal.role not in roles:
            raise WrongRole(principal)
        return principal

    return Depends(principal_with_role)


SignedIn = Annotated[Principal, page_role("school", "provider", "coordinator", "admin")]
SchoolPage = Annotated[Principal, page_role("school")]
ProviderPage = Annotated[Principal, page_role("provider")]
CoordinatorPage = Annotated[Principal, page_role("coordinator", "admin")]
AdminPage = Annotated[Principal, page_role("admin")]


async def _to_sign_in(request: Request, error: Exception) -> Response:
    assert isinstance(error, SignInRequired)
    target = f"/aanmelden?volgende={quote(error.path)}"
    if request.headers.get("HX-Request") == "true":  # htmx follows HX-Redirect, not a 303
        return Response(status_code=204, headers={"HX-Redirect": target})
    return RedirectResponse(target, status_code=303)


async def _forbidden(request: Request, error: Exception) -> Response:
    assert isinstance(error, WrongRole)
    return render(request, "forbidden.html", error.principal, status_code=403)


def install_access_handlers(app: FastAPI) -> None:
    """Answer the two page-access exceptions."""
    app.add_exception_handler(SignInRequired, _to_sign_in)
    app.add_exception_handler(WrongRole, _forbidden)
