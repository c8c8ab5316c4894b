"""The bot service's Sanic app, built by one `setup_x(app, ...)` call per concern."""

from __future__ import annotations

from typing import Optional

from sanic import Sanic

from bot.service.agent_api import setup_agent_api
from bot.service.console import setup_console
from bot.service.console_api import setup_console_api
from bot.service.email.setup import setup_email
from bot.service.errors import setup_error_handlers
from bot.service.handoff_setup import HandoffOptions, setup_handoff
from bot.service.health import setup_health
from bot.service.internal_api import setup_internal_api
from bot.service.live_stream import setup_live_stream
from bot.service.metrics_route import setup_metrics
from bot.service.openapi import setup_openapi
from bot.service.privacy.setup import setup_privacy
from bot.service.reports.setup import setup_reports
from bot.service.reports.unanswered_routes import setup_unanswered_questions
from bot.service.supervisor_api import setup_supervisor_api
from bot.service.webchat.routes import setup_webchat
from bot.service.webchat_presence import setup_webchat_presence
from bot.service.webchat_typing import setup_webchat_typing
from bot.shared.http import guard as http_guard
from bot.shared.settings import Settings

# Agents' replies and notes are at most 4000 characters; nothing the service accepts comes near this.
REQUEST_MAX_SIZE = 64 * 1024


def create_app(
    settings: Settings,
    name: str = "bot_service",
    database_schema: Optional[str] = None,
    handoff_options: HandoffOptions = HandoffOptions(),
) -> Sanic:
    """`database_schema` keeps the handoff tables in their own PostgreSQL schema (test runs);
    `handoff_options` shortens the waits on Rasa for tests."""
    app = Sanic(name)
    app.ctx.settings = settings
    app.config.FALLBACK_ERROR_FORMAT = "json"
    app.config.REQUEST_MAX_SIZE = REQUEST_MAX_SIZE
    # See bot/shared/http/guard.py: under load Sanic's 5 s keep-alive timeout dropped callers' requests.
    app.config.KEEP_ALIVE_TIMEOUT = http_guard.KEEP_ALIVE_TIMEOUT_SECONDS
    setup_error_handlers(app)
    setup_handoff(app, settings, database_schema, handoff_options)
    setup_email(app, settings)
    # after setup_handoff: both use the desk's engine and clock
    setup_reports(app, settings)
    setup_privacy(app, settings)
    setup_metrics(app)
    setup_health(app)
    setup_agent_api(app, settings)
    setup_live_stream(app, settings=settings)
    setup_internal_api(app)
    setup_openapi(app)
    setup_console(app)
    setup_console_api(app)
    setup_supervisor_api(app)
    setup_unanswered_questions(app)
    setup_webchat(app, settings)
    setup_webchat_typing(app, settings)
    setup_webchat_presence(app, settings)
    return app
