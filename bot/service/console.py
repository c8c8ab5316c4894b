"""Serves the agent console (plain HTML, CSS and JavaScript) at /console, and the supervisor view beside it."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, file

from bot.service.errors import error_response
from bot.shared.settings import PROJECT_ROOT

CONSOLE_FILES = Path(__file__).resolve().parent / "console_files"
# Chart.js from npm (package.json), served from here: the supervisor view loads nothing from a CDN
CHART_JS = PROJECT_ROOT / "node_modules" / "chart.js" / "dist" / "chart.umd.min.js"


def setup_console(app: Sanic) -> None:
    @app.get("/console")
    async def console_page(request: Request) -> HTTPResponse:
        return await file(CONSOLE_FILES / "index.html", mime_type="text/html; charset=utf-8")

    @app.get("/console/supervisor")
    async def supervisor_page(request: Request) -> HTTPResponse:
        return await file(CONSOLE_FILES / "supervisor.html", mime_type="text/html; charset=utf-8")

    @app.get("/console/vendor/chart.umd.min.js")
    async def chart_library(request: Request) -> HTTPResponse:
        return await file(CHART_JS, mime_type="application/javascript; charset=utf-8")

    assets = CONSOLE_FILES / "assets"
    app.static("/console/assets", str(assets), name="console_assets")
    # Sanic's static handler opens whatever the URL names, and a folder (/console/assets/), a name too long
    # for the file system or a path through a file made it fail with a 500: only the console's files are served.
    served = frozenset(f"/console/assets/{path.name}" for path in assets.iterdir() if path.is_file())

    async def only_console_files(request: Request) -> Optional[HTTPResponse]:
        if request.path.startswith("/console/assets/") and request.path not in served:
            return error_response(404, "not found")
        return None

    app.register_middleware(only_console_files, "request")
