"""Wires privacy into the bot service: the supervisor's routes and, with RETENTION_DAYS, the retention job."""

from __future__ import annotations

import asyncio
import contextlib

from sanic import Sanic

from bot.service.privacy.office import PrivacyOffice
from bot.service.privacy.retention import run_retention
from bot.service.privacy.routes import privacy_api
from bot.shared.settings import Settings


def setup_privacy(app: Sanic, settings: Settings) -> None:
    app.blueprint(privacy_api)

    @app.before_server_start
    async def open_office(app: Sanic, _loop: object) -> None:
        app.ctx.privacy = PrivacyOffice.for_settings(app.ctx.desk.engine, settings)
        app.ctx.retention_task = None
        if settings.retention_days is not None:
            app.ctx.retention_task = asyncio.ensure_future(
                run_retention(app.ctx.privacy, app.ctx.desk.clock, settings.retention_days)
            )

    @app.after_server_stop
    async def close_office(app: Sanic, _loop: object) -> None:
        if app.ctx.retention_task is not None:
            app.ctx.retention_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await app.ctx.retention_task
        app.ctx.privacy.close()
