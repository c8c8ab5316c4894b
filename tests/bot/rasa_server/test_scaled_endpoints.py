"""endpoints.scaled.yml: every variable it names has a default, and its Redis tracker store really works."""

from __future__ import annotations

import re
import uuid

import pytest

from bot.shared.settings import PROJECT_ROOT, Settings

SCALED_ENDPOINTS = PROJECT_ROOT / "endpoints.scaled.yml"


def _read_endpoint(kind: str, environment: dict, monkeypatch: pytest.MonkeyPatch):
    from rasa.utils.endpoints import read_endpoint_config

    for key, value in environment.items():
        monkeypatch.setenv(key, value)
    return read_endpoint_config(str(SCALED_ENDPOINTS), kind)


def test_every_variable_of_the_scaled_endpoints_has_a_default() -> None:
    named = set(re.findall(r"\$\{(\w+)\}", SCALED_ENDPOINTS.read_text()))
    assert named <= set(Settings.from_env({}).rasa_environment())


def test_rabbitmq_variables_come_from_the_bot_services_url() -> None:
    settings = Settings.from_env({"RABBITMQ_URL": "amqp://shop:s%40cret@mq.internal:5673/", "RABBITMQ_QUEUE": "q1"})
    environment = settings.rasa_environment()
    assert (environment["RABBITMQ_HOST"], environment["RABBITMQ_PORT"]) == ("mq.internal", "5673")
    assert (environment["RABBITMQ_USERNAME"], environment["RABBITMQ_PASSWORD"]) == ("shop", "s@cret")
    assert environment["RABBITMQ_QUEUE"] == "q1"


def test_rasa_reads_redis_stores_and_the_pika_broker(monkeypatch: pytest.MonkeyPatch) -> None:
    environment = Settings.from_env({"REDIS_DB": "5"}).rasa_environment()
    tracker_store = _read_endpoint("tracker_store", environment, monkeypatch)
    lock_store = _read_endpoint("lock_store", environment, monkeypatch)
    broker = _read_endpoint("event_broker", environment, monkeypatch)
    assert (tracker_store.type, tracker_store.kwargs["db"]) == ("redis", "5")
    assert lock_store.type == "redis"
    assert (broker.type, broker.kwargs["queues"]) == ("pika", ["rasa_core_events"])


def _redis_or_skip(settings: Settings):
    import redis

    client = redis.Redis(host=settings.redis_host, port=settings.redis_port, db=settings.redis_db)
    try:
        client.ping()
    except redis.exceptions.ConnectionError as error:
        pytest.skip(f"Redis at {settings.redis_host}:{settings.redis_port} cannot be reached: {error}")
    return client


async def test_a_conversation_survives_a_round_trip_through_the_redis_tracker_store(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rasa.core.tracker_store import TrackerStore
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.events import SlotSet, UserUttered

    prefix = f"test{uuid.uuid4().hex[:10]}"
    settings = Settings.from_env({"REDIS_DB": "14", "REDIS_KEY_PREFIX": prefix})
    client = _redis_or_skip(settings)
    domain = Domain.from_path(str(PROJECT_ROOT / "domain.yml"))
    store = TrackerStore.create(_read_endpoint("tracker_store", settings.rasa_environment(), monkeypatch), domain)
    try:
        tracker = await store.get_or_create_tracker("customer-1")
        tracker.update(UserUttered("where is my order ORD-100123"))
        tracker.update(SlotSet("order_number", "ORD-100123"))
        await store.save(tracker)
        again = await store.retrieve("customer-1")
        assert again is not None
        assert again.get_slot("order_number") == "ORD-100123"
        assert again.latest_message.text == "where is my order ORD-100123"
    finally:
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)
