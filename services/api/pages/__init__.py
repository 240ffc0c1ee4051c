"""The web pages (Dutch, server-rendered with htmx): thin views over the same service functions
the JSON routes call. One router per area; templates in ``services/api/templates``."""

from fastapi import Depends, FastAPI
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException

from services.api.domain_errors import DOMAIN_ERRORS
from services.api.pages import (
    account,
    admin,
    allocation,
    applications,
    assets,
    auth,
    catalogue,
    colleagues,
    dashboard,
    inbox,
    joining,
    match,
    offer_import,
    passwords,
    posting_actions,
    postings,
    preferences,
    review,
    rotation,
    site_files,
    vocabulary,
    webhook,
)
from services.api.pages.access import install_access_handlers
from services.api.pages.problems import (
    on_busy,
    on_domain_refusal,
    on_http_error,
    on_invalid_request,
    on_server_error,
    plain_input,
)

ROUTERS = (
    auth.router,
    catalogue.router,
    review.router,
    postings.school_router,
    postings.provider_router,
    postings.lookup_router,
    posting_actions.school_actions,
    posting_actions.provider_actions,
    posting_actions.misses_page,
    offer_import.router,
    inbox.router,
    dashboard.router,
    admin.router,
    vocabulary.router,
    allocation.router,
    rotation.router,
    account.router,
    passwords.router,
    preferences.router,
    match.router,
    joining.router,
    applications.router,
    webhook.router,  # before colleagues: /organisatie/webhook/... is no colleague's id
    colleagues.router,
    site_files.router,
)


def install_pages(app: FastAPI) -> None:
    """Add the page routers (each refusing control characters), the static files, the sign-in
    redirect and the Dutch problem pages to ``app``; after the API's error handlers, which the
    problem pages keep for ``/api``."""
    for router in ROUTERS:
        app.include_router(router, dependencies=[Depends(plain_input)])
    app.mount("/static/vendor", assets.vendor_files(), name="vendor")
    app.mount("/static", assets.own_files(), name="static")
    install_access_handlers(app)
    app.add_exception_handler(RequestValidationError, on_invalid_request)
    app.add_exception_handler(HTTPException, on_http_error)
    for error in DOMAIN_ERRORS:
        app.add_exception_handler(error, on_domain_refusal)
    app.add_exception_handler(PoolTimeout, on_busy)
    app.add_exception_handler(Exception, on_server_error)
