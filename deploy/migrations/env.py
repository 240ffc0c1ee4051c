"""Alembic environment: runs migrations on the async engine of ``DATABASE_URL``."""

import asyncio
import importlib
import logging.config

from alembic import context
from sqlalchemy.engine import Connection

from shared.db import Base, make_engine
from shared.settings import Settings

# Every module that declares tables, so autogenerate compares against the whole model.
TABLE_MODULES = (
    "shared.processed_events",
    "shared.outbox",
    "services.intake.tables",
    "services.matcher.tables",
    "services.notifier.tables",
    "services.review.tables",
    "shared.accounts",
    "shared.mail_choices",
    "shared.own_versions",
    "services.api.tables",
    "services.matcher.learning.tables",
)

config = context.config
if config.config_file_name is not None:
    logging.config.fileConfig(config.config_file_name, disable_existing_loggers=False)
for module in TABLE_MODULES:
    importlib.import_module(module)
target_metadata = Base.metadata


def _migrate(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()


async def _run_online() -> None:
    engine = make_engine(Settings().database_url)
    async with engine.connect() as connection:
        await connection.run_sync(_migrate)
    await engine.dispose()


if context.is_offline_mode():
    context.configure(url=Settings().database_url, target_metadata=target_metadata)
    with context.begin_transaction():
        context.run_migrations()
else:
    asyncio.run(_run_online())
