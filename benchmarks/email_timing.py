"""Part `email`: from an inbound mail posted to the webhook to its reply accepted by the SMTP server.

The three processes run as `make run` starts them, with the e-mail channel on (a signing key, SMTP_URL)
and a real SMTP server (aiosmtpd) on loopback in this process; each mail is a signed Mailgun post, sent
one after the other, and its reply is recognised by its In-Reply-To.
"""

from __future__ import annotations

import json
import os
import secrets
import threading
import time
import uuid
from contextlib import contextmanager
from email import message_from_bytes, policy
from typing import Any, Dict, Iterator, List

from benchmarks.context import RunContext
from benchmarks.latency_summary import latency_summary
from benchmarks.results import PartResult
from benchmarks.serving.processes import free_port
from benchmarks.serving.project_stack import ServingTuning, start_project_stack, train_project_model

MAILS = 30
QUICK_MAILS = 2
WAIT_LIMIT_SECONDS = 60.0
SIGNING_KEY = secrets.token_hex(32)
SUPPORT_ADDRESS = "support@shop.example"
CUSTOMER = "maria.keller@example.com"
QUESTION = "Where is my order ORD-100001?"


class EmailProbeFailed(RuntimeError):
    """A reply did not arrive within the wait limit, or the webhook refused a mail."""


class ReplyClock:
    """The SMTP server's side: when each reply arrived, by the Message-Id it answers."""

    def __init__(self) -> None:
        self._arrived: Dict[str, float] = {}
        self._changed = threading.Condition()

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        arrived = time.perf_counter()
        message = message_from_bytes(envelope.original_content, policy=policy.default)
        answered = str(message.get("In-Reply-To", "")).strip().strip("<>")
        with self._changed:
            self._arrived.setdefault(answered, arrived)
            self._changed.notify_all()
        return "250 OK"

    def wait_for(self, message_id: str) -> float:
        deadline = time.monotonic() + WAIT_LIMIT_SECONDS
        with self._changed:
            while message_id not in self._arrived:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise EmailProbeFailed(f"no reply within {WAIT_LIMIT_SECONDS:.0f} s")
                self._changed.wait(left)
            return self._arrived[message_id]


@contextmanager
def _environment(values: Dict[str, str]) -> Iterator[None]:
    """The stack's processes read their settings from this process's environment when they are started."""
    before = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def _signed_post(message_id: str) -> Dict[str, Any]:
    from bot.shared.email.signature import mailgun_signature

    stamp, token = str(int(time.time())), secrets.token_hex(25)
    headers = [["From", CUSTOMER], ["To", SUPPORT_ADDRESS], ["Subject", "My order"], ["Message-Id", f"<{message_id}>"]]
    fields = {
        "from": CUSTOMER,
        "sender": CUSTOMER,
        "recipient": SUPPORT_ADDRESS,
        "subject": "My order",
        "body-plain": QUESTION,
        "message-headers": json.dumps(headers),
        "timestamp": stamp,
        "token": token,
        "signature": mailgun_signature(SIGNING_KEY, stamp, token),
    }
    return {name: (None, value) for name, value in fields.items()}


def _measure(rasa_url: str, replies: ReplyClock, mails: int) -> List[Dict[str, float]]:
    import requests

    samples = []
    with requests.Session() as http:
        for _ in range(mails):
            message_id = f"{uuid.uuid4().hex}@customer.example"
            posted_at = time.perf_counter()
            answer = http.post(f"{rasa_url}/webhooks/email/webhook", files=_signed_post(message_id), timeout=120)
            answered_at = time.perf_counter()
            if answer.status_code != 200:
                raise EmailProbeFailed(f"the webhook answered {answer.status_code}: {answer.text[:200]}")
            arrived_at = replies.wait_for(message_id)
            samples.append(
                {"webhook_ms": (answered_at - posted_at) * 1000, "reply_ms": (arrived_at - posted_at) * 1000}
            )
    return samples


def run(context: RunContext) -> PartResult:
    from aiosmtpd.controller import Controller

    model_path = context.project_root / "models" / "shop.tar.gz"
    if not model_path.exists():
        model_path, _, _ = train_project_model(context.workdir / "serving", context.quick)
    replies = ReplyClock()
    smtp = Controller(replies, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        environment = {
            "EMAIL_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
            "SMTP_URL": f"smtp://127.0.0.1:{smtp.port}",
            "EMAIL_FROM": f"Shop support <{SUPPORT_ADDRESS}>",
        }
        with _environment(environment):
            group, settings = start_project_stack(context.workdir / "email", model_path, ServingTuning("as configured"))
        try:
            samples = _measure(settings.rasa_url, replies, QUICK_MAILS if context.quick else MAILS)
        finally:
            group.stop()
    finally:
        smtp.stop()
    return {
        "timings": [
            latency_summary("mail posted -> webhook answered (reply queued)", [s["webhook_ms"] for s in samples]),
            latency_summary("mail posted -> reply accepted by the SMTP server", [s["reply_ms"] for s in samples]),
        ],
        "how": (
            f"How: {len(samples)} signed Mailgun posts, one after the other, each a new thread from the order's own "
            f'address asking "{QUESTION}" (the sender proves the order, so the reply carries its status and '
            "tracking); the Rasa server runs the model in models/, the bot service's outbox sender sends "
            "each reply to an aiosmtpd server on loopback, which notes when it arrives."
        ),
    }
