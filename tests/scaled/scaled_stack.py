"""`python -m bot run` with DEPLOYMENT=scaled on free ports, its own PostgreSQL database, Redis prefix and RabbitMQ names."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import requests
from sqlalchemy import create_engine, text

from bot.shared.settings import PROJECT_ROOT, Settings
from bot.supervisor.scaled import unreachable_services
from tests.support.stack import MODEL, free_port, stack_environment

POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432"
READY_SECONDS = 300.0


@dataclass
class ScaledStack:
    supervisor: subprocess.Popen[bytes]
    settings: Settings
    log: Path

    @property
    def rasa_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_port}"

    @property
    def service_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.service_port}"

    def rasa_instance(self, number: int) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_instance_ports[number]}"

    def service_instance(self, number: int) -> str:
        return f"http://127.0.0.1:{self.settings.service_instance_ports[number]}"

    @property
    def rasa_api_headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.rasa_api_token}"}

    @property
    def rest_headers(self) -> Dict[str, str]:
        return {"Authorization": f"Bearer {self.settings.rest_channel_token}"}

    def pid_listening_on(self, port: int) -> Optional[int]:
        """The supervisor's child started with `--port <port>`."""
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
                arguments = (entry / "cmdline").read_bytes().split(b"\0")
            except OSError:
                continue
            parent = int(stat.rpartition(")")[2].split()[1])
            listens = b"--port" in arguments and arguments[arguments.index(b"--port") + 1] == str(port).encode()
            if parent == self.supervisor.pid and listens:
                return int(entry.name)
        return None

    def kill(self, port: int) -> int:
        pid = self.pid_listening_on(port)
        assert pid is not None, f"nothing of the supervisor's listens on {port}"
        os.kill(pid, signal.SIGKILL)
        return pid

    def answers(self, url: str) -> bool:
        try:
            return requests.get(url, headers=self.rasa_api_headers, timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def log_tail(self, lines: int = 60) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.supervisor.poll() is None:
            self.supervisor.send_signal(signal.SIGINT)
            try:
                self.supervisor.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.supervisor.kill()
                self.supervisor.wait()


def scaled_environment(workdir: Path, run_id: str) -> Dict[str, str]:
    overrides = stack_environment(workdir, free_port())
    overrides.update(
        {
            "DEPLOYMENT": "scaled",
            "DATABASE_URL": f"{POSTGRES_SERVER}/{run_id}",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
            "REDIS_KEY_PREFIX": run_id,
            "RABBITMQ_URL": "amqp://guest:guest@127.0.0.1:5672/",
            "RABBITMQ_QUEUE": f"{run_id}_events",
            "RABBITMQ_EXCHANGE": f"{run_id}-exchange",
            "RASA_INSTANCE_PORTS": f"{free_port()},{free_port()}",
            "SERVICE_INSTANCE_PORTS": f"{free_port()},{free_port()}",
            "AGENT_MAX_CHATS": "20",
        }
    )
    return overrides


def unreachable(environment: Dict[str, str]) -> List[str]:
    return unreachable_services(Settings.from_env(environment))


def start_scaled_stack(workdir: Path, overrides: Dict[str, str]) -> ScaledStack:
    if not MODEL.exists():
        raise RuntimeError(f"{MODEL} is missing: train the model first (`make train`)")
    env = {**os.environ, **overrides, "PYTHONPATH": str(PROJECT_ROOT)}
    for name in ("DEMO_MODE", "ASSISTANT_ENV", "WEBCHAT_DEMO_SIGNIN"):
        env.pop(name, None)
    settings = Settings.from_env(env)
    from tests.support.stack import build_demo_database

    build_demo_database(settings.database_url)
    log = workdir / "supervisor.log"
    with log.open("ab") as output:
        supervisor = subprocess.Popen(
            [sys.executable, "-m", "bot", "run", "--model", str(MODEL)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    stack = ScaledStack(supervisor, settings, log)
    urls = [f"{stack.rasa_instance(n)}/status" for n in (0, 1)] + [f"{stack.service_url}/health"]
    deadline = time.monotonic() + READY_SECONDS
    while not all(stack.answers(url) for url in urls):
        if supervisor.poll() is not None or time.monotonic() > deadline:
            stack.stop()
            raise RuntimeError("the scaled deployment did not start:\n" + stack.log_tail())
        time.sleep(0.5)
    return stack


def drop_traces(overrides: Dict[str, str]) -> None:
    """The run's database, Redis keys, queue and exchange go; nothing of it is left on the machine's services."""
    import asyncio

    import aio_pika
    import redis  # type: ignore[import-untyped]

    run_id = overrides["REDIS_KEY_PREFIX"]
    shutil.rmtree(PROJECT_ROOT / "var" / f"edge-{overrides['SERVICE_PORT']}", ignore_errors=True)
    client = redis.Redis.from_url(overrides["REDIS_URL"])
    for key in client.scan_iter(match=f"{run_id}*", count=1000):
        client.delete(key)
    client.close()

    async def rabbit() -> None:
        connection = await aio_pika.connect(overrides["RABBITMQ_URL"])
        async with connection:
            channel = await connection.channel()
            await channel.queue_delete(overrides["RABBITMQ_QUEUE"])
            await channel.exchange_delete(overrides["RABBITMQ_EXCHANGE"])

    asyncio.run(rabbit())
    server = create_engine(f"{POSTGRES_SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{run_id}" WITH (FORCE)'))
    server.dispose()


def new_run_id() -> str:
    return f"scaled_{uuid.uuid4().hex[:10]}"
