"""The project's own stack (Rasa server, action server, bot service) started as `python -m bot run` does."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional

import yaml

from benchmarks.serving.processes import ServerGroup, free_port, run_checked
from bot.shared.settings import PROJECT_ROOT, Settings

REDIS_HOST = "127.0.0.1"
REDIS_PORT = 6379


RABBITMQ_URL = "amqp://guest:guest@127.0.0.1:5672/"
SCALED_REDIS_DB = 13


@dataclass(frozen=True)
class ServingTuning:
    """Process settings under test; they become environment variables and arguments of the Rasa server."""

    name: str
    sanic_workers: int = 1
    tensorflow_threads: Optional[int] = None
    # None: the project's endpoints.yml (SQLite), with a Redis lock store added when there are several workers
    endpoints_file: Optional[str] = None
    # `python -m <rasa_module> run ...` starts the Rasa server
    rasa_module: str = "rasa"

    @property
    def uses_redis_and_rabbitmq(self) -> bool:
        return self.endpoints_file is not None

    def environment(self) -> Dict[str, str]:
        env = {"SANIC_WORKERS": str(self.sanic_workers)}
        if self.tensorflow_threads:
            env["TF_INTRA_OP_PARALLELISM_THREADS"] = str(self.tensorflow_threads)
            env["TF_INTER_OP_PARALLELISM_THREADS"] = str(self.tensorflow_threads)
            env["OMP_NUM_THREADS"] = str(self.tensorflow_threads)
            env["OPENBLAS_NUM_THREADS"] = str(self.tensorflow_threads)
        return env


def _children_cpu_seconds() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _quick_config(workdir: Path) -> Path:
    """config.yml with one training epoch per learned component: for checking the harness only."""
    config = yaml.safe_load((PROJECT_ROOT / "config.yml").read_text())
    for component in [*config.get("pipeline", []), *config.get("policies", [])]:
        if "epochs" in component or component["name"] in ("DIETClassifier", "TEDPolicy", "ResponseSelector"):
            component["epochs"] = 1
    path = workdir / "config-quick.yml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def train_project_model(workdir: Path, quick: bool = False) -> tuple:
    """Trains the full model (NLU and dialogue) into the work folder once; returns (path, seconds)."""
    import fcntl

    model_dir = workdir / "models"
    model_path = model_dir / "shop.tar.gz"
    seconds_file = model_dir / "training-seconds.txt"
    model_dir.mkdir(parents=True, exist_ok=True)
    # Parts run as separate processes share one trained model: the second waits for the first.
    with (model_dir / ".training.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        return _train_once(workdir, model_path, seconds_file, quick)


def _train_once(workdir: Path, model_path: Path, seconds_file: Path, quick: bool) -> tuple:
    import time

    model_dir = model_path.parent
    log_path = workdir / "train-project.log"
    # A training started without the lock (an older harness) is still writing its log: wait for it.
    while not seconds_file.exists() and log_path.exists() and time.time() - log_path.stat().st_mtime < 120:
        time.sleep(10)
    if model_path.exists() and seconds_file.exists():
        wall, cpu = seconds_file.read_text().split()
        return model_path, float(wall), float(cpu)
    # A cache of its own: a warm Rasa training cache would make the training time meaningless.
    env = dict(
        os.environ,
        PYTHONPATH=str(PROJECT_ROOT),
        TF_CPP_MIN_LOG_LEVEL="2",
        RASA_CACHE_DIRECTORY=str(workdir / "rasa-cache"),
    )
    config = _quick_config(workdir) if quick else PROJECT_ROOT / "config.yml"
    cpu_before = _children_cpu_seconds()
    seconds = run_checked(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--config",
            str(config),
            "--out",
            str(model_dir),
            "--fixed-model-name",
            "shop",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        log_path=workdir / "train-project.log",
    )
    cpu_seconds = _children_cpu_seconds() - cpu_before
    seconds_file.write_text(f"{seconds:.1f} {cpu_seconds:.1f}")
    return model_path, seconds, cpu_seconds


def _endpoints_with_redis_lock_store(workdir: Path, redis_db: int) -> Path:
    """Several Sanic workers must share conversation locks: the project's endpoints plus Redis."""
    endpoints = yaml.safe_load((PROJECT_ROOT / "endpoints.yml").read_text()) or {}
    endpoints["lock_store"] = {
        "type": "redis",
        "url": REDIS_HOST,
        "port": REDIS_PORT,
        "db": redis_db,
        "key_prefix": f"bench{os.getpid()}",
    }
    path = workdir / "endpoints-redis.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False))
    return path


def _scaled_services_environment(run_name: str) -> Dict[str, str]:
    """Redis keys and a RabbitMQ queue of this run only, so runs and tests never read each other's events."""
    return {
        "REDIS_HOST": REDIS_HOST,
        "REDIS_PORT": str(REDIS_PORT),
        "REDIS_DB": str(SCALED_REDIS_DB),
        "REDIS_KEY_PREFIX": run_name,
        "RABBITMQ_URL": RABBITMQ_URL,
        "RABBITMQ_QUEUE": f"{run_name}_events",
    }


def remove_scaled_run_state(settings: Settings) -> None:
    """Deletes the run's conversations and locks from Redis and its queue from RabbitMQ."""
    import asyncio

    import redis

    client = redis.Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db)
    try:
        for key in client.scan_iter(f"{settings.redis_key_prefix}*"):
            client.delete(key)
    finally:
        client.close()
    asyncio.run(_delete_queue(settings.rabbitmq_url or RABBITMQ_URL, settings.rabbitmq_queue))


async def _delete_queue(url: str, queue_name: str) -> None:
    import aio_pika

    connection = await aio_pika.connect(url)
    async with connection:
        channel = await connection.channel()
        await channel.queue_delete(queue_name)


def _rasa_command(command: List[str], tuning: ServingTuning) -> List[str]:
    module_at = command.index("-m") + 1
    return [*command[:module_at], tuning.rasa_module, *command[module_at + 1 :]]


def start_project_stack(workdir: Path, model_path: Path, tuning: ServingTuning) -> tuple:
    """Starts the three processes on free ports with a fresh demo store; returns (group, settings)."""
    from sqlalchemy import create_engine

    from bot.demo.seed import build_demo_store
    from bot.rasa_server.channels.credentials import write_credentials
    from bot.shared.local_secrets import with_local_secrets
    from bot.supervisor.run import child_environment, process_specs

    workdir.mkdir(parents=True, exist_ok=True)
    # A fresh store, tracker store and event log per start: runs never see each other's conversations.
    for database in ("shop.db", "rasa.db", "events.db"):
        (workdir / database).unlink(missing_ok=True)
    overrides = {
        "DATABASE_URL": f"sqlite:///{workdir / 'shop.db'}",
        "RASA_PORT": str(free_port()),
        "ACTION_PORT": str(free_port()),
        "SERVICE_PORT": str(free_port()),
        "TRACKER_DB": str(workdir / "rasa.db"),
        "EVENTS_DB": str(workdir / "events.db"),
        "BUSINESS_HOURS": "Mon-Sun 00:00-24:00",
        **tuning.environment(),
    }
    if tuning.uses_redis_and_rabbitmq:
        overrides.update(_scaled_services_environment(f"bench{os.getpid()}{workdir.name.replace('-', '')}"))
    # The benchmark measures the deployment with its tokens in place: generated ones, as under `make run`.
    base_env = with_local_secrets(dict(os.environ, **overrides), demo_mode=True)
    settings = Settings.from_env(base_env)
    engine = create_engine(settings.database_url)
    try:
        build_demo_store(engine)
    finally:
        engine.dispose()
    credentials = workdir / "credentials.yml"
    write_credentials(settings, credentials)
    endpoints = PROJECT_ROOT / (tuning.endpoints_file or "endpoints.yml")
    if tuning.sanic_workers > 1 and not tuning.uses_redis_and_rabbitmq:
        endpoints = _endpoints_with_redis_lock_store(workdir, redis_db=13)
    env = child_environment(settings, base_env)
    group = ServerGroup(workdir)
    urls = {}
    for spec in process_specs(settings, str(model_path), str(endpoints), credentials):
        command = _rasa_command(list(spec.command), tuning) if spec.name == "Rasa server" else spec.command
        group.start(spec.name, command, PROJECT_ROOT, env)
        urls[spec.name] = (spec.ready_url, dict(spec.ready_headers))
    try:
        group.wait_until_answering(urls)
    except RuntimeError:
        group.stop()
        raise
    return group, settings
