"""The scaled deployment (DEPLOYMENT=scaled): its local defaults, the services it needs, and its processes.

Two Rasa servers and two bot services on loopback ports behind nginx, which takes the public ports of
`make run`; one action server. Conversations, locks and socket.io rooms live in Redis, events go through
RabbitMQ, the store and the handoffs are in PostgreSQL (docs/scaling.md).
"""

from __future__ import annotations

import asyncio
import secrets
from typing import Callable, Dict, List, Mapping, Optional, Sequence
from urllib.parse import urlsplit

from bot.shared.settings import PROJECT_ROOT, Settings

FORWARDED_SECRET_VARIABLE = "SANIC_FORWARDED_SECRET"
# What this machine offers; an operator's own values are never replaced.
LOCAL_DEFAULTS: Mapping[str, str] = {
    "DATABASE_URL": "postgresql://postgres@127.0.0.1:5432/shop",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/",
    "RASA_ENDPOINTS": str(PROJECT_ROOT / "endpoints.scaled.yml"),
    # several instances share two cores: one compute thread each (docs/scaling.md, "Workers")
    "TF_INTRA_OP_PARALLELISM_THREADS": "1",
    "TF_INTER_OP_PARALLELISM_THREADS": "1",
    "OMP_NUM_THREADS": "1",
}


def with_scaled_defaults(environ: Mapping[str, str]) -> Dict[str, str]:
    env = dict(environ)
    for key, value in LOCAL_DEFAULTS.items():
        env.setdefault(key, value)
    # Known to the edge and the apps only, new at every start: a client cannot forge its address.
    env.setdefault(FORWARDED_SECRET_VARIABLE, secrets.token_urlsafe(32))
    return env


def _check_redis(url: str) -> None:
    import redis  # type: ignore[import-untyped]

    client = redis.Redis.from_url(url, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    finally:
        client.close()


def _check_rabbitmq(url: str) -> None:
    import aio_pika

    async def connect() -> None:
        connection = await aio_pika.connect(url, timeout=3)
        await connection.close()

    asyncio.run(connect())


def _check_postgresql(url: str) -> None:
    """Connects; creates the database when the server answers but does not have it yet (a first start)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import OperationalError

    target = make_url(url)
    engine = create_engine(target, connect_args={"connect_timeout": 3})
    try:
        with engine.connect():
            return
    except OperationalError as error:
        if "does not exist" not in str(error) or not target.database:
            raise
    finally:
        engine.dispose()
    server = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{target.database}"'))
    finally:
        server.dispose()


def _where(url: str) -> str:
    """Host and port only: a URL may carry a password."""
    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port}" if parts.port else str(parts.hostname)


def unreachable_services(settings: Settings) -> List[str]:
    """One line per service the scaled deployment cannot use; empty when all answer."""
    checks: Sequence[tuple[str, Optional[str], Callable[[str], None]]] = (
        ("Redis (REDIS_URL)", settings.redis_url, _check_redis),
        ("RabbitMQ (RABBITMQ_URL)", settings.rabbitmq_url, _check_rabbitmq),
        ("PostgreSQL (DATABASE_URL)", settings.database_url, _check_postgresql),
    )
    problems = []
    for name, url, check in checks:
        if not url:
            problems.append(f"{name} is not set")
            continue
        if name.startswith("PostgreSQL") and not url.startswith("postgresql"):
            problems.append(f"{name} must name a PostgreSQL database, shared by every instance")
            continue
        try:
            check(url)
        except Exception as error:  # whatever the client raises, the operator needs the same sentence
            problems.append(f"{name} at {_where(url)} cannot be reached: {type(error).__name__}")
    return problems
