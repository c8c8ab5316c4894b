"""Opens the handoff desk when the service starts (engine, Rasa client, broker reader) and closes it after."""
from __future__ import annotations

import asyncio
from typing import Optional

import aiohttp
from sanic import Sanic

from bot.config import Settings
from bot.handoff.broker_rabbitmq import RabbitBrokerConsumer
from bot.handoff.broker_sql import SqlBrokerTail
from bot.handoff.business_hours import BusinessHours
from bot.handoff.database import (
    create_handoff_engine,
    create_handoff_tables,
    ensure_sqlite_folder,
)
from bot.handoff.desk import HandoffDesk
from bot.handoff.live_updates import LiveUpdates
from bot.handoff.rasa_client import RasaClient


def setup_handoff(app: Sanic, settings: Settings, database_schema: Optional[str] = None) -> None:
    # parsed now so a wrong BUSINESS_HOURS stops the service before it accepts a single chat
    hours = BusinessHours.parse(settings.business_hours, settings.business_timezone)

    @app.before_server_start
    async def open_desk(app: Sanic, _loop: object) -> None:
        ensure_sqlite_folder(settings.database_url)
        engine = create_handoff_engine(settings.database_url, database_schema)
        await asyncio.to_thread(create_handoff_tables, engine)
        app.ctx.http_session = aiohttp.ClientSession()
        app.ctx.desk = HandoffDesk(
            engine, hours, RasaClient(settings.rasa_url, app.ctx.http_session, settings.rasa_api_token), LiveUpdates()
        )
        if settings.rabbitmq_url:
            reader = RabbitBrokerConsumer(app.ctx.desk, settings.rabbitmq_url, settings.rabbitmq_queue)
            app.ctx.broker_reader = reader
        else:
            reader = SqlBrokerTail(app.ctx.desk, settings.events_db)
            app.ctx.broker_reader = reader
        app.ctx.broker_task = asyncio.ensure_future(reader.run_forever())

    @app.after_server_stop
    async def close_desk(app: Sanic, _loop: object) -> None:
        app.ctx.broker_task.cancel()
        try:
            await app.ctx.broker_task
        except (asyncio.CancelledError, Exception):
            pass
        if isinstance(app.ctx.broker_reader, SqlBrokerTail):
            app.ctx.broker_reader.close()
        await app.ctx.http_session.close()
        app.ctx.desk.engine.dispose()
