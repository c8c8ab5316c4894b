"""A real SMTP server (aiosmtpd) on loopback that keeps what it receives; it can be stopped and started again."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any, Callable, List, Optional, cast

from aiosmtpd.controller import Controller

from tests.support.stack import free_port


@dataclass(frozen=True)
class ReceivedMail:
    recipients: List[str]
    message: EmailMessage
    received_at: float

    def header(self, name: str) -> str:
        return str(self.message.get(name, ""))

    @property
    def text(self) -> str:
        part = self.message.get_body(preferencelist=("plain",))
        return part.get_content() if part is not None else ""

    @property
    def html(self) -> str:
        part = self.message.get_body(preferencelist=("html",))
        return part.get_content() if part is not None else ""


class _Keeper:
    def __init__(self, server: SmtpStandIn) -> None:
        self._server = server

    async def handle_DATA(self, _server: Any, _session: Any, envelope: Any) -> str:  # noqa: N802 (aiosmtpd's name)
        message = cast(EmailMessage, message_from_bytes(envelope.original_content, policy=policy.default))
        self._server.keep(ReceivedMail(list(envelope.rcpt_tos), message, time.monotonic()))
        return "250 OK"


class SmtpStandIn:
    def __init__(self) -> None:
        self.port = free_port()
        self.received: List[ReceivedMail] = []
        self._lock = threading.Lock()
        self._controller: Optional[Controller] = None

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def start(self) -> SmtpStandIn:
        self._controller = Controller(_Keeper(self), hostname="127.0.0.1", port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def keep(self, mail: ReceivedMail) -> None:
        with self._lock:
            self.received.append(mail)

    def mails_to(self, address: str) -> List[ReceivedMail]:
        with self._lock:
            return [mail for mail in self.received if address in mail.recipients]

    def wait_for(self, address: str, condition: Callable[[ReceivedMail], bool], timeout: float = 60) -> ReceivedMail:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for mail in self.mails_to(address):
                if condition(mail):
                    return mail
            time.sleep(0.05)
        seen = [mail.text[:200] for mail in self.mails_to(address)]
        raise AssertionError(f"no matching mail to {address}; received so far: {seen}")
