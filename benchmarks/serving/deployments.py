"""The project's two deployments started as their make targets start them: `python -m bot run`.

`embedded` is `make run` (SQLite stores, one machine, nothing to configure); `scaled` is `make run-scaled`
(DEPLOYMENT=scaled: two Rasa servers and two bot services behind nginx, Redis, RabbitMQ, PostgreSQL).
Each start gets free ports, its own database, Redis prefix, queue and exchange, and removes them after.
"""

from __future__ import annotations

import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List, Optional

from benchmarks.process_memory import child_pids
from benchmarks.serving.processes import answers, free_port
from bot.shared.settings import PROJECT_ROOT, Settings

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
REDIS_URL = "redis://127.0.0.1:6379/0"
RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
READY_SECONDS = 420.0
# what each child runs, by a word of its command line
_ROLES = (
    ("bot.rasa_server.launch", "Rasa server"),
    ("bot.action_server.launch", "action server"),
    ("bot.edge.proxy", "edge proxy"),
    ("serve", "bot service"),
)


@dataclass
class RunningDeployment:
    """A deployment answering on its public ports."""

    name: str
    rasa_url: str
    rest_headers: Dict[str, str]
    database_url: str
    supervisor: subprocess.Popen[bytes]
    log: Path
    cleanup: List[object] = field(default_factory=list)

    def instances(self) -> Dict[str, int]:
        """Each child of the supervisor by role, numbered in port order when there are several -> pid."""
        by_role: Dict[str, List[tuple]] = {}
        for pid in child_pids(self.supervisor.pid):
            try:
                arguments = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
            except OSError:
                continue
            role = next((label for word, label in _ROLES if word in arguments), "other")
            port = int(arguments[arguments.index("--port") + 1]) if "--port" in arguments else 0
            by_role.setdefault(role, []).append((port, pid))
        found: Dict[str, int] = {}
        for role, entries in by_role.items():
            for number, (_, pid) in enumerate(sorted(entries), start=1):
                found[f"{role} {number}" if len(entries) > 1 else role] = pid
        return found

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.supervisor.poll() is None:
            self.supervisor.send_signal(signal.SIGINT)
            try:
                self.supervisor.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.supervisor.pid, signal.SIGKILL)
                self.supervisor.wait()
        for step in self.cleanup:
            step()  # type: ignore[operator]


def _secrets() -> Dict[str, str]:
    names = (
        "HANDOFF_SECRET",
        "RASA_API_TOKEN",
        "ACTION_SERVER_TOKEN",
        "WEBCHAT_SESSION_SECRET",
        "WEBCHAT_JWT_SECRET",
        "REST_CHANNEL_TOKEN",
    )
    return {name: secrets.token_urlsafe(32) for name in names}


def _common_environment(workdir: Path) -> Dict[str, str]:
    service_port = free_port()
    return {
        **_secrets(),
        "ALLOWED_ORIGINS": f"http://127.0.0.1:{service_port}",
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "SERVICE_PORT": str(service_port),
        "TRACKER_DB": str(workdir / "rasa.db"),
        "EVENTS_DB": str(workdir / "events.db"),
        "BUSINESS_HOURS": "Mon-Sun 00:00-24:00",
    }


def _build_store(database_url: str) -> None:
    from sqlalchemy import create_engine

    from bot.demo.seed import build_demo_store

    engine = create_engine(database_url)
    try:
        build_demo_store(engine)
    finally:
        engine.dispose()


def _create_database(name: str) -> None:
    from sqlalchemy import create_engine, text

    server = create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        server.dispose()


def _drop_scaled_state(run_id: str, environment: Dict[str, str]) -> None:
    import asyncio

    import aio_pika
    import redis
    from sqlalchemy import create_engine, text

    shutil.rmtree(PROJECT_ROOT / "var" / f"edge-{environment['SERVICE_PORT']}", ignore_errors=True)
    client = redis.Redis.from_url(REDIS_URL)
    try:
        for key in client.scan_iter(match=f"{run_id}*", count=1000):
            client.delete(key)
    finally:
        client.close()

    async def rabbit() -> None:
        connection = await aio_pika.connect(RABBITMQ_URL)
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(environment["RABBITMQ_QUEUE"])
            await channel.exchange_delete(environment["RABBITMQ_EXCHANGE"])

    asyncio.run(rabbit())
    server = create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{run_id}" WITH (FORCE)'))
    finally:
        server.dispose()


def deployment_environment(kind: str, workdir: Path) -> Dict[str, str]:
    """The variables one start of `kind` ("embedded" or "scaled") sets over the machine's own."""
    overrides = _common_environment(workdir)
    if kind == "embedded":
        overrides["DATABASE_URL"] = f"sqlite:///{workdir / 'shop.db'}"
        return overrides
    run_id = f"bench_{uuid.uuid4().hex[:10]}"
    overrides.update(
        {
            "DEPLOYMENT": "scaled",
            "DATABASE_URL": f"{POSTGRES_SERVER}/{run_id}",
            "REDIS_URL": REDIS_URL,
            "REDIS_KEY_PREFIX": run_id,
            "RABBITMQ_URL": RABBITMQ_URL,
            "RABBITMQ_QUEUE": f"{run_id}_events",
            "RABBITMQ_EXCHANGE": f"{run_id}-exchange",
            "RASA_INSTANCE_PORTS": f"{free_port()},{free_port()}",
            "SERVICE_INSTANCE_PORTS": f"{free_port()},{free_port()}",
        }
    )
    return overrides


def start_deployment(kind: str, workdir: Path, model: Path) -> RunningDeployment:
    """Starts `python -m bot run` for `kind` and waits until every instance answers."""
    workdir.mkdir(parents=True, exist_ok=True)
    for database in ("shop.db", "rasa.db", "events.db"):
        (workdir / database).unlink(missing_ok=True)
    overrides = deployment_environment(kind, workdir)
    env = {**os.environ, **overrides, "PYTHONPATH": str(PROJECT_ROOT)}
    for name in ("DEMO_MODE", "ASSISTANT_ENV", "WEBCHAT_DEMO_SIGNIN", "SANIC_WORKERS", "RASA_ENDPOINTS"):
        env.pop(name, None)
    if kind == "scaled":
        _create_database(overrides["REDIS_KEY_PREFIX"])
    settings = Settings.from_env(env)
    cleanup: List[object] = []
    if kind == "scaled":
        cleanup.append(lambda: _drop_scaled_state(overrides["REDIS_KEY_PREFIX"], overrides))
    try:
        _build_store(settings.database_url)
    except Exception:
        for step in cleanup:
            step()  # type: ignore[operator]
        raise
    log = workdir / f"{kind}-supervisor.log"
    with log.open("ab") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--model", str(model)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    deployment = RunningDeployment(
        name=kind,
        rasa_url=f"http://127.0.0.1:{settings.rasa_port}",
        rest_headers={"Authorization": f"Bearer {settings.rest_channel_token}"},
        database_url=settings.database_url,
        supervisor=supervisor,
        log=log,
        cleanup=cleanup,
    )
    _wait_until_answering(deployment, settings, kind)
    return deployment


def _ready_urls(settings: Settings, kind: str) -> List[str]:
    service = [f"http://127.0.0.1:{settings.service_port}/health", f"http://127.0.0.1:{settings.action_port}/health"]
    if kind == "scaled":
        return [*(f"http://127.0.0.1:{port}/status" for port in settings.rasa_instance_ports), *service]
    return [f"http://127.0.0.1:{settings.rasa_port}/status", *service]


def _wait_until_answering(deployment: RunningDeployment, settings: Settings, kind: str) -> None:
    headers = {"Authorization": f"Bearer {settings.rasa_api_token}"}
    deadline = time.monotonic() + READY_SECONDS
    pending = _ready_urls(settings, kind)
    while pending:
        pending = [url for url in pending if not answers(url, headers)]
        if pending and (deployment.supervisor.poll() is not None or time.monotonic() > deadline):
            deployment.stop()
            raise RuntimeError(f"the {kind} deployment did not start:\n{deployment.log_tail()}")
        time.sleep(0.5)


def checkout_model() -> Optional[Path]:
    """The checkout's trained model (`make bench` trains it first) when there is one."""
    model = PROJECT_ROOT / "models" / "shop.tar.gz"
    return model if model.exists() else None
