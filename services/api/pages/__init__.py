"""The web pages (Dutch, server-rendered with htmx): thin views over the same service functions
the JSON routes call. One router per area; templates in ``services/api/templates``."""

from fastapi import FastAPI

from services.api.pages import (
    account,
    admin,
    allocation,
    assets,
    auth,
    catalogue,
    dashboard,
    inbox,
    offer_import,
    postings,
    review,
)
from services.api.pages.access import install_access_handlers

ROUTERS = (
    auth.router,
    catalogue.router,
    review.router,
    postings.school_router,
    postings.provider_router,
    postings.lookup_router,
    offer_import.router,
    inbox.router,
    dashboard.router,
    admin.router,
    allocation.router,
    account.router,
)


def install_pages(app: FastAPI) -> None:
    """Add the page routers, the static files and the sign-in redirect to ``app``."""
    for router in ROUTERS:
        app.include_router(router)
    app.mount("/static/vendor", assets.vendor_files(), name="vendor")
    app.mount("/static", assets.own_files(), name="static")
    install_access_handlers(app)
