"""Opens the handoff desk when the service starts (engine, Rasa client, broker reader, outbox) and closes it after."""

from __future__ import annotations

import asyncio
import contextlib
from dataclasses import dataclass, field
from typing import Optional, Union

import aiohttp
from sanic import Sanic

from bot.service.handoff.broker_rabbitmq import RabbitBrokerConsumer
from bot.service.handoff.broker_sql import SqlBrokerTail
from bot.service.handoff.business_hours import BusinessHours
from bot.service.handoff.database import (
    create_handoff_engine,
    create_handoff_tables,
    ensure_sqlite_folder,
)
from bot.service.handoff.desk import HandoffDesk
from bot.service.handoff.live_updates import LiveUpdates
from bot.service.handoff.outbox_delivery import RetryPolicy
from bot.service.handoff.rasa_client import DEFAULT_TIMEOUT_SECONDS, RasaClient
from bot.service.reports.event_recorder import ReportRecorder
from bot.service.reports.tables import create_report_tables
from bot.shared.clock import Clock, utc_now
from bot.shared.settings import Settings


@dataclass(frozen=True)
class HandoffOptions:
    """How patient the service is with Rasa; the defaults are production's, tests shorten them."""

    rasa_timeout_seconds: float = DEFAULT_TIMEOUT_SECONDS
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Clock = utc_now


async def _stop(task: asyncio.Task[None]) -> None:
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError, Exception):
        await task


def setup_handoff(
    app: Sanic,
    settings: Settings,
    database_schema: Optional[str] = None,
    options: HandoffOptions = HandoffOptions(),
) -> None:
    # parsed now so a wrong BUSINESS_HOURS stops the service before it accepts a single chat
    hours = BusinessHours.parse(settings.business_hours, settings.business_timezone)

    @app.before_server_start
    async def open_desk(app: Sanic, _loop: object) -> None:
        ensure_sqlite_folder(settings.database_url)
        engine = create_handoff_engine(settings.database_url, database_schema)
        await asyncio.to_thread(create_handoff_tables, engine)
        await asyncio.to_thread(create_report_tables, engine)
        # one recorder for both brokers: the reports come from the same events whichever carries them
        app.ctx.report_recorder = recorder = ReportRecorder(engine)
        app.ctx.http_session = aiohttp.ClientSession()
        rasa = RasaClient(
            settings.rasa_url, app.ctx.http_session, settings.rasa_api_token, options.rasa_timeout_seconds
        )
        app.ctx.desk = HandoffDesk(engine, hours, rasa, LiveUpdates(), options.retry_policy, clock=options.clock)
        reader: Union[RabbitBrokerConsumer, SqlBrokerTail]
        if settings.rabbitmq_url:
            reader = RabbitBrokerConsumer(
                app.ctx.desk,
                settings.rabbitmq_url,
                settings.rabbitmq_queue,
                settings.rabbitmq_exchange,
                listeners=[lambda bodies: asyncio.to_thread(recorder.take_many, [(body, None) for body in bodies])],
            )
        else:
            reader = SqlBrokerTail(app.ctx.desk, settings.events_db)
        app.ctx.broker_reader = reader
        app.ctx.handoff_tasks = [
            asyncio.ensure_future(reader.run_forever()),
            # whatever was queued before a restart or while Rasa was down goes out from here
            asyncio.ensure_future(app.ctx.desk.delivery.run_forever()),
        ]

    @app.after_server_stop
    async def close_desk(app: Sanic, _loop: object) -> None:
        for task in app.ctx.handoff_tasks:
            await _stop(task)
        if isinstance(app.ctx.broker_reader, SqlBrokerTail):
            app.ctx.broker_reader.close()
        await app.ctx.http_session.close()
        app.ctx.desk.engine.dispose()
