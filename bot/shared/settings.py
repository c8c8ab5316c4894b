"""Settings read once from the environment and passed to whoever needs them."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Mapping, Optional, Tuple
from urllib.parse import unquote, urlsplit

from bot.shared.channel_settings import ChannelSettings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
# The action server's store calls wait on the database, not on the interpreter: this many run at once, each
# thread with a kept connection, so one slow query holds up its own conversation only (docs/scaling.md).
DEFAULT_ACTION_STORE_THREADS = 8


def _sqlite_url(relative_path: str) -> str:
    return f"sqlite:///{PROJECT_ROOT / relative_path}"


def _flag(value: str, truthy: frozenset[str] | set[str] = frozenset({"1", "true", "yes", "on"})) -> bool:
    return value.strip().lower() in truthy


def _origins(value: Optional[str], service_port: int) -> Tuple[str, ...]:
    """The shop's web origins allowed to call the assistant from a browser; by default the bot service's own."""
    if value is None or not value.strip():
        return (f"http://127.0.0.1:{service_port}", f"http://localhost:{service_port}")
    return tuple(origin.strip().rstrip("/") for origin in value.split(",") if origin.strip())


def _ports(value: Optional[str], default: Tuple[int, ...]) -> Tuple[int, ...]:
    """`15005,15006`: the loopback ports of a scaled deployment's instances, one per instance."""
    if value is None or not value.strip():
        return default
    return tuple(int(port) for port in value.split(",") if port.strip())


@dataclass(frozen=True)
class Settings:
    """Everything the processes of the assistant are configured with."""

    database_url: str
    bind_host: str
    rasa_port: int
    action_port: int
    service_port: int
    rasa_url: str
    service_url: str
    action_server_url: str
    tracker_db: str
    events_db: str
    business_hours: str
    business_timezone: str
    webchat_jwt_secret: Optional[str]
    # Empty means unset: the internal routes then refuse every call (see bot/service/auth.py).
    handoff_secret: str = ""
    rabbitmq_url: Optional[str] = None
    rabbitmq_queue: str = "rasa_core_events"
    agent_max_chats: int = 3
    webchat_demo_signin: bool = False
    channels: ChannelSettings = ChannelSettings()
    redis_host: str = "127.0.0.1"
    redis_port: int = 6379
    redis_db: int = 0
    redis_key_prefix: str = "shop"
    # The trust boundary (README "Security"): tokens between the processes and for the public channels.
    production: bool = False
    demo_mode: bool = False
    action_bind_host: str = "127.0.0.1"
    action_store_threads: int = DEFAULT_ACTION_STORE_THREADS
    rasa_api_token: Optional[str] = None
    action_server_token: Optional[str] = None
    rest_channel_token: Optional[str] = None
    webchat_session_secret: Optional[str] = None
    allowed_origins: Tuple[str, ...] = ()
    # Privacy (README "Reports and privacy"): conversations older than this many days are deleted or
    # anonymised by the bot service's retention job; None keeps them.
    retention_days: Optional[int] = None
    rasa_endpoints: str = str(PROJECT_ROOT / "endpoints.yml")
    # bearer token Prometheus scrapes /metrics with; unset, only loopback callers may read it
    metrics_token: Optional[str] = None
    # Scale-out (docs/scaling.md): "scaled" makes `python -m bot run` start several instances behind nginx;
    # REDIS_URL, when set, carries live updates, socket.io replies and stream tickets between processes.
    deployment: str = "single"
    redis_url: Optional[str] = None
    rabbitmq_exchange: str = "rasa-exchange"
    rasa_instance_ports: Tuple[int, ...] = (15005, 15006)
    service_instance_ports: Tuple[int, ...] = (18000, 18001)

    @property
    def scaled(self) -> bool:
        return self.deployment == "scaled"

    @classmethod
    def from_env(cls, environ: Optional[Mapping[str, str]] = None) -> Settings:
        env = os.environ if environ is None else environ
        rasa_port = int(env.get("RASA_PORT", "5005"))
        action_port = int(env.get("ACTION_PORT", "5055"))
        service_port = int(env.get("SERVICE_PORT", "8000"))
        return cls(
            database_url=env.get("DATABASE_URL", _sqlite_url("var/shop.db")),
            bind_host=env.get("BIND_HOST", "127.0.0.1"),
            rasa_port=rasa_port,
            action_port=action_port,
            service_port=service_port,
            rasa_url=env.get("RASA_URL", f"http://127.0.0.1:{rasa_port}"),
            service_url=env.get("SERVICE_URL", f"http://127.0.0.1:{service_port}"),
            action_server_url=env.get("ACTION_SERVER_URL", f"http://127.0.0.1:{action_port}/webhook"),
            tracker_db=env.get("TRACKER_DB", str(PROJECT_ROOT / "var" / "rasa.db")),
            events_db=env.get("EVENTS_DB", str(PROJECT_ROOT / "var" / "events.db")),
            business_hours=env.get("BUSINESS_HOURS", "Mon-Fri 09:00-18:00"),
            business_timezone=env.get("BUSINESS_TIMEZONE", "Europe/London"),
            webchat_jwt_secret=env.get("WEBCHAT_JWT_SECRET") or None,
            handoff_secret=env.get("HANDOFF_SECRET", ""),
            rabbitmq_url=env.get("RABBITMQ_URL") or None,
            rabbitmq_queue=env.get("RABBITMQ_QUEUE", "rasa_core_events"),
            agent_max_chats=int(env.get("AGENT_MAX_CHATS", "3")),
            webchat_demo_signin=_flag(env.get("WEBCHAT_DEMO_SIGNIN", "")),
            channels=ChannelSettings.from_env(env),
            redis_host=env.get("REDIS_HOST", "127.0.0.1"),
            redis_port=int(env.get("REDIS_PORT", "6379")),
            redis_db=int(env.get("REDIS_DB", "0")),
            redis_key_prefix=env.get("REDIS_KEY_PREFIX", "shop"),
            production=_flag(env.get("ASSISTANT_ENV", ""), {"production", "prod"}),
            demo_mode=_flag(env.get("DEMO_MODE", "")),
            action_bind_host=env.get("ACTION_BIND_HOST", "127.0.0.1"),
            action_store_threads=int(env.get("ACTION_STORE_THREADS", str(DEFAULT_ACTION_STORE_THREADS))),
            rasa_api_token=env.get("RASA_API_TOKEN") or None,
            action_server_token=env.get("ACTION_SERVER_TOKEN") or None,
            rest_channel_token=env.get("REST_CHANNEL_TOKEN") or None,
            webchat_session_secret=env.get("WEBCHAT_SESSION_SECRET") or None,
            allowed_origins=_origins(env.get("ALLOWED_ORIGINS"), service_port),
            retention_days=int(env["RETENTION_DAYS"]) if env.get("RETENTION_DAYS", "").strip() else None,
            rasa_endpoints=env.get("RASA_ENDPOINTS", str(PROJECT_ROOT / "endpoints.yml")),
            metrics_token=env.get("METRICS_TOKEN") or None,
            deployment=env.get("DEPLOYMENT", "single").strip().lower() or "single",
            redis_url=env.get("REDIS_URL") or None,
            rabbitmq_exchange=env.get("RABBITMQ_EXCHANGE", "rasa-exchange"),
            rasa_instance_ports=_ports(env.get("RASA_INSTANCE_PORTS"), (15005, 15006)),
            service_instance_ports=_ports(env.get("SERVICE_INSTANCE_PORTS"), (18000, 18001)),
        )

    def rasa_environment(self) -> Dict[str, str]:
        """Variables that `endpoints.yml` and `endpoints.scaled.yml` substitute when Rasa reads them."""
        # Rasa refuses an endpoints file naming an unset variable, so the scaled file's get defaults too.
        rabbitmq = urlsplit(self.rabbitmq_url or DEFAULT_RABBITMQ_URL)
        return {
            "ACTION_SERVER_URL": self.action_server_url,
            "ACTION_SERVER_TOKEN": self.action_server_token or "",
            "TRACKER_DB": self.tracker_db,
            "EVENTS_DB": self.events_db,
            "REDIS_HOST": self.redis_host,
            "REDIS_PORT": str(self.redis_port),
            "REDIS_DB": str(self.redis_db),
            "REDIS_KEY_PREFIX": self.redis_key_prefix,
            "RABBITMQ_HOST": rabbitmq.hostname or "127.0.0.1",
            "RABBITMQ_PORT": str(rabbitmq.port or 5672),
            "RABBITMQ_USERNAME": unquote(rabbitmq.username or "guest"),
            "RABBITMQ_PASSWORD": unquote(rabbitmq.password or "guest"),
            "RABBITMQ_QUEUE": self.rabbitmq_queue,
            "RABBITMQ_EXCHANGE": self.rabbitmq_exchange,
        }
