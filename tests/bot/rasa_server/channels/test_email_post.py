"""Large inbound mails against the Mailgun connector on a real Sanic server with the Rasa server's 256 KiB limit.

The connector is mounted as Rasa mounts it, behind the HTTP guard, with a real SQLite database; the
messages it passes on are recorded instead of going to a model, and their echo is the answer.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
from email import message_from_string, policy
from pathlib import Path
from typing import Dict, Iterator, List, Sequence, Tuple

import pytest
import requests
from rasa.core.channels.channel import UserMessage
from sanic import Sanic
from sqlalchemy import create_engine, select

from bot.rasa_server.channels.email_channel import EmailChannelSettings
from bot.rasa_server.channels.email_mailgun import MailgunEmailInput
from bot.rasa_server.channels.email_notes import NOTES, Note
from bot.rasa_server.channels.email_post import FIELD_BYTES, MAX_PARTS, TOTAL_BYTES
from bot.rasa_server.launch import REQUEST_MAX_SIZE
from bot.shared.email.attachments import METADATA_KEY
from bot.shared.email.tables import outbox, received_message_ids
from bot.shared.http import guard as http_guard
from tests.bot.rasa_server.channels.mailgun_requests import SIGNING_KEY, SUPPORT_ADDRESS, Mail, form, signed_fields
from tests.bot.rasa_server.channels.served_channels import serve_channels
from tests.support.served_app import Served

PHOTO_MARKER = b"PHOTO-BYTES-THAT-MUST-NOT-BE-STORED"
CUSTOMER = "maria.keller@example.com"


@pytest.fixture(scope="module", autouse=True)
def sanic_test_mode() -> Iterator[None]:
    before = Sanic.test_mode
    Sanic.test_mode = True
    yield
    Sanic.test_mode = before


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("email-post") / "mail.db"


@pytest.fixture(scope="module")
def received() -> List[UserMessage]:
    return []


@pytest.fixture(scope="module")
def served(database: Path, received: List[UserMessage]) -> Iterator[Served]:
    settings = EmailChannelSettings(SIGNING_KEY, f"Shop support <{SUPPORT_ADDRESS}>", f"sqlite:///{database}")
    server = serve_channels([MailgunEmailInput(settings)], received, echo=True)
    server.app.config.REQUEST_MAX_SIZE = int(REQUEST_MAX_SIZE)
    http_guard.install()
    try:
        with server:
            yield server
    finally:
        http_guard.uninstall()


def _url(served: Served) -> str:
    return f"http://127.0.0.1:{served.port}/webhooks/email/webhook"


def _post(served: Served, fields: Dict[str, str], files: Sequence[Tuple[str, str, bytes]] = ()) -> requests.Response:
    parts: List[Tuple[str, Tuple]] = [(name, (None, value)) for name, value in fields.items()]
    parts += [(field, (filename, content, "application/octet-stream")) for field, filename, content in files]
    return requests.post(_url(served), files=parts, timeout=120)


def _reply_to(database: Path, mail: Mail) -> str:
    engine = create_engine(f"sqlite:///{database}")
    try:
        with engine.connect() as connection:
            message = connection.execute(
                select(outbox.c.message).where(outbox.c.source_key == f"answer:{mail.message_id}")
            ).scalar_one()
    finally:
        engine.dispose()
    parsed = message_from_string(str(message), policy=policy.default)
    return str(parsed.get_body(preferencelist=("plain",)).get_content())  # type: ignore[union-attr]


def _messages_of(received: List[UserMessage], mail: Mail) -> List[UserMessage]:
    return [message for message in received if (message.metadata or {}).get("email_sender") == mail.sender]


def _answered(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute(f"select count(*) from {received_message_ids.name}").fetchone()[0])


def test_a_mail_with_large_attachments_is_answered_with_their_names_and_sizes_noted_and_nothing_stored(
    served: Served, database: Path, received: List[UserMessage]
) -> None:
    photo = PHOTO_MARKER + os.urandom(10 * 1024 * 1024)
    receipt = PHOTO_MARKER + b"%PDF-1.4" + b"x" * 300_000
    mail = Mail(CUSTOMER.replace("maria", "photo"), "Broken screen", "My screen arrived cracked, see the photo.")
    answer = _post(
        served,
        form(mail, signed_fields()),
        [("attachment-1", "screen.jpg", photo), ("attachment-2", "receipt.pdf", receipt)],
    )
    assert answer.status_code == 200, answer.text

    messages = _messages_of(received, mail)
    assert [message.text for message in messages] == ["My screen arrived cracked, see the photo."]
    noted = messages[0].metadata[METADATA_KEY]
    assert noted == [{"filename": "screen.jpg", "size": len(photo)}, {"filename": "receipt.pdf", "size": len(receipt)}]
    reply = _reply_to(database, mail)
    assert "you said My screen arrived cracked" in reply
    assert NOTES[Note.ATTACHMENTS_NOT_READ]["en"].split(".")[0] in reply
    # the files were read through and dropped: not a byte of them is in the database
    assert PHOTO_MARKER not in database.read_bytes()


def test_a_mail_whose_text_is_absurdly_large_is_read_up_to_the_field_limit(
    served: Served, database: Path, received: List[UserMessage]
) -> None:
    mail = Mail("long.text@example.com", "Long", "How long does delivery take?\n\n" + "é" * (5 * 1024 * 1024))
    answer = _post(served, form(mail, signed_fields()))
    assert answer.status_code == 200, answer.text
    messages = _messages_of(received, mail)
    assert messages and messages[0].text == "How long does delivery take?"
    assert sum(len(message.text or "") for message in messages) <= FIELD_BYTES
    assert "you said How long does delivery take?" in _reply_to(database, mail)


def test_a_forged_post_with_a_large_file_is_refused_before_anything_is_looked_up(
    served: Served, database: Path
) -> None:
    before = _answered(database)
    mail = Mail(CUSTOMER, "forged", "Where is my order ORD-100001?")
    forged = _post(
        served, form(mail, signed_fields(key="not-the-signing-key")), [("attachment-1", "a.jpg", b"x" * 3_000_000)]
    )
    assert forged.status_code == 401
    assert _answered(database) == before


def test_a_post_announcing_more_than_the_mail_limit_gets_413_before_its_body_is_read(served: Served) -> None:
    head = (
        b"POST /webhooks/email/webhook HTTP/1.1\r\nHost: x\r\n"
        b"Content-Type: multipart/form-data; boundary=b\r\n"
        b"Content-Length: %d\r\n\r\n" % (TOTAL_BYTES + 1)
    )
    with socket.create_connection(("127.0.0.1", served.port), timeout=10) as connection:
        connection.sendall(head)
        status_line = connection.recv(200).split(b"\r\n")[0]
    assert status_line.split()[1] == b"413", status_line


@pytest.mark.parametrize(
    "content_type, body, status",
    [
        ("multipart/form-data", b"--b\r\n", 400),  # no boundary
        ("multipart/form-data; boundary=b", b'--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end', 400),
        ("application/json", json.dumps({"body-plain": "x" * (300 * 1024)}).encode(), 413),
        ("application/x-www-form-urlencoded", b"token=a&timestamp=1&signature=b", 401),
        ("text/plain", b"hello", 401),
    ],
)
def test_malformed_oversized_or_unsigned_posts_get_a_clear_4xx(
    served: Served, content_type: str, body: bytes, status: int
) -> None:
    answer = requests.post(_url(served), data=body, headers={"Content-Type": content_type}, timeout=30)
    assert answer.status_code == status, answer.text


def test_a_post_of_too_many_parts_gets_413(served: Served) -> None:
    fields = {f"field-{number}": "x" for number in range(MAX_PARTS + 1)}
    assert _post(served, fields).status_code == 413
