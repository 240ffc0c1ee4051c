"""API composition root: ``uvicorn services.api.app:app``.

The lifespan opens the database engine and runs an outbox relay through a broker built like every
service's (:func:`shared.kafka.make_broker`), so the events the API queues reach Kafka even when no
other service runs in this process, and its sends are counted on the gateway's /metrics.
"""

import contextlib
from collections.abc import AsyncIterator

from fastapi import FastAPI

from services.api.context import ApiContext
from services.api.domain_errors import install_domain_errors
from services.api.errors import install_error_handlers
from services.api.middleware import BodyLimit, SecurityHeaders
from services.api.openapi import add_contract_schemas
from services.api.pages import install_pages
from services.api.pages.offer_import import IMPORT_PAGE
from services.api.pages.problems import MACHINE_PATHS
from services.api.pages.round_busy import install_round_answers
from services.api.routes import (
    allocation,
    catalogue,
    health,
    journey,
    matches,
    misses,
    my_sign_ins,
    notifications,
    offer_import,
    passwords,
    postings,
    registrations,
    rotation,
    session,
    stats,
    webhook,
)
from services.api.settings import ApiSettings
from shared.contracts import NeedSubmitted, OfferSubmitted
from shared.db import make_engine, make_sessionmaker
from shared.health import broker_check, database_check
from shared.kafka import make_broker
from shared.logs import configure_logging
from shared.outbox import OutboxRelay

ROUTERS = (
    health.router,
    session.router,
    my_sign_ins.router,
    passwords.router,
    registrations.router,
    postings.needs_router,
    misses.router,
    offer_import.router,  # before the offer routes: /api/offers/import is not an offer id
    postings.offers_router,
    catalogue.router,
    matches.router,
    journey.router,
    notifications.router,
    stats.router,
    allocation.router,
    webhook.router,
    rotation.router,
)


def create_app(settings: ApiSettings) -> FastAPI:
    """The ASGI application for ``settings``."""
    configure_logging()

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        settings.check_secret_key()  # before anything opens: a known key forges nothing here
        engine = make_engine(settings.database_url, settings.pool_timeout_seconds)
        sessions = make_sessionmaker(engine)
        app.state.context = ApiContext.build(settings, sessions)
        broker = make_broker(settings)  # publishes only: no subscribers
        relay = OutboxRelay(
            sessions,
            broker,
            poll_seconds=settings.outbox_poll_seconds,
            batch_size=settings.outbox_batch_size,
        )
        await broker.start()
        await relay.start()
        app.state.ready_checks = {
            "database": database_check(engine, settings.alembic_config),
            "broker": broker_check(broker),
        }
        try:
            yield
        finally:
            await relay.stop()
            await broker.stop()
            await engine.dispose()

    app = FastAPI(
        title="Schakel API",
        version="1.0.0",
        description="Needs of schools and offers of providers, their status, and the public "
        "catalogue of open offers.",
        lifespan=lifespan,
        docs_url=None,  # /docs: Swagger UI from node_modules (services.api.pages.site_files)
        redoc_url=None,
    )
    for router in ROUTERS:
        app.include_router(router)
    install_error_handlers(app)
    install_domain_errors(app)
    install_pages(app)
    install_round_answers(app)
    add_contract_schemas(app, (NeedSubmitted, OfferSubmitted))
    app.add_middleware(
        BodyLimit,
        default_limit=settings.max_json_bytes,
        limits_by_path={
            offer_import.IMPORT_PATH: settings.max_upload_bytes,
            IMPORT_PAGE: settings.max_upload_bytes,
        },
        machine_paths=MACHINE_PATHS,
    )
    app.add_middleware(SecurityHeaders, strict_transport=settings.cookie_secure)
    return app


app = create_app(ApiSettings())
