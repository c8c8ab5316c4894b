"""Wires the reports into the bot service: their tables, the broker tail and abandonment watch, and the routes."""

from __future__ import annotations

import asyncio
import contextlib

from sanic import Sanic

from bot.service.reports.abandonment import AbandonmentWatch
from bot.service.reports.routes import reports_api
from bot.service.reports.tables import create_report_tables
from bot.service.reports.turn_tail import TurnTail
from bot.shared.settings import Settings


def setup_reports(app: Sanic, settings: Settings) -> None:
    app.blueprint(reports_api)

    # after the desk's listener (registered first), which opens the engine the reports share
    @app.before_server_start
    async def start_turn_tail(app: Sanic, _loop: object) -> None:
        await asyncio.to_thread(create_report_tables, app.ctx.desk.engine)
        # beside a RabbitMQ consumer too: events left in the SQL table count, and none counts twice
        app.ctx.turn_tail = TurnTail(app.ctx.desk.engine, settings.events_db, recorder=app.ctx.report_recorder)
        app.ctx.turn_tail_task = asyncio.ensure_future(app.ctx.turn_tail.run_forever())
        watch = AbandonmentWatch(app.ctx.desk.engine, app.ctx.desk.clock)
        app.ctx.abandonment_task = asyncio.ensure_future(watch.run_forever())

    @app.after_server_stop
    async def stop_turn_tail(app: Sanic, _loop: object) -> None:
        for task in (app.ctx.turn_tail_task, app.ctx.abandonment_task):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
        app.ctx.turn_tail.close()
