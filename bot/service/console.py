"""Serves the agent console (plain HTML, CSS and JavaScript) at /console."""

from __future__ import annotations

from pathlib import Path

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, file

CONSOLE_FILES = Path(__file__).resolve().parent / "console_files"


def setup_console(app: Sanic) -> None:
    @app.get("/console")
    async def console_page(request: Request) -> HTTPResponse:
        return await file(CONSOLE_FILES / "index.html", mime_type="text/html; charset=utf-8")

    app.static("/console/assets", str(CONSOLE_FILES / "assets"), name="console_assets")
