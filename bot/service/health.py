"""`GET /health`: is the service up and can it reach its database."""

from __future__ import annotations

import asyncio

from sanic import Sanic
from sanic.request import Request
from sanic.response import HTTPResponse, json
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError


def setup_health(app: Sanic) -> None:
    @app.get("/health")
    async def health(request: Request) -> HTTPResponse:
        def database_answers() -> bool:
            try:
                with request.app.ctx.desk.engine.connect() as connection:
                    connection.execute(text("SELECT 1"))
                return True
            except SQLAlchemyError:
                return False

        database_ok = await asyncio.to_thread(database_answers)
        return json(
            {"status": "ok" if database_ok else "degraded", "database": database_ok},
            status=200 if database_ok else 503,
        )
