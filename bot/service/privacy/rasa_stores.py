"""Rasa's stores that hold conversations, as the endpoints file configures them: tracker store and SQL broker."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, List, Mapping, Optional, Union

import yaml
from sqlalchemy.engine import URL

from bot.service.handoff.broker_table import events_database_url
from bot.service.privacy.rasa_events import RasaEventsTable
from bot.service.privacy.redis_trackers import RedisTrackers
from bot.shared.settings import Settings

RasaStore = Union[RasaEventsTable, RedisTrackers]
_VARIABLE = re.compile(r"\$\{([A-Z0-9_]+)\}")


def _endpoints(settings: Settings) -> Mapping[str, Any]:
    path = Path(settings.rasa_endpoints)
    if not path.is_file():
        return {}
    variables = settings.rasa_environment()
    text = _VARIABLE.sub(lambda match: variables.get(match.group(1), ""), path.read_text(encoding="utf-8"))
    loaded = yaml.safe_load(text)
    return loaded if isinstance(loaded, dict) else {}


def _sql_url(config: Mapping[str, Any]) -> Optional[str]:
    """The database URL of a Rasa SQL store entry (`dialect`, `db`, `host`, `port`, `username`, `password`)."""
    dialect = str(config.get("dialect") or "sqlite")
    database = config.get("db")
    if dialect == "sqlite":
        return events_database_url(str(database)) if database else None
    url = URL.create(
        dialect,
        username=config.get("username"),
        password=config.get("password"),
        host=config.get("url") or config.get("host"),
        port=int(config["port"]) if config.get("port") else None,
        database=str(database) if database else None,
    )
    return str(url.render_as_string(hide_password=False))


def rasa_stores(settings: Settings) -> List[RasaStore]:
    endpoints = _endpoints(settings)
    stores: List[RasaStore] = []
    tracker = endpoints.get("tracker_store") or {}
    kind = str(tracker.get("type") or "").lower()
    if kind == "sql" and (url := _sql_url(tracker)):
        stores.append(RasaEventsTable("rasa_tracker_store", url))
    elif kind == "redis":
        stores.append(
            RedisTrackers(
                str(tracker.get("url") or "127.0.0.1"),
                int(tracker.get("port") or 6379),
                int(tracker.get("db") or 0),
                str(tracker.get("key_prefix") or ""),
            )
        )
    broker = endpoints.get("event_broker") or {}
    if str(broker.get("type") or "").lower() == "sql" and (url := _sql_url(broker)):
        stores.append(RasaEventsTable("rasa_event_broker", url))
    return stores
