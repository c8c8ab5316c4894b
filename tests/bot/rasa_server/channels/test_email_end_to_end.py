"""E-mail against the running assistant: signed Mailgun posts in, replies out through a real SMTP server on loopback.

The assistant runs for real (Rasa server with the trained model, action server, bot service, SQLite);
only Mailgun is stood in for, by the requests it would post, and the SMTP server is aiosmtpd.
"""

from __future__ import annotations

import time
import uuid
from typing import Dict, Iterator, List

import pytest
import requests
from sqlalchemy import create_engine, select

from bot.rasa_server.channels.email_notes import NOTES, Note
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from bot.shared.email.tables import outbox, received_message_ids
from bot.store.tables import orders, returns
from tests.bot.rasa_server.channels.mailgun_requests import (
    SUPPORT_ADDRESS,
    Mail,
    form,
    post,
    reply_to,
    send,
    signed_fields,
)
from tests.support.smtp_standin import ReceivedMail, SmtpStandIn
from tests.support.stack import Stack, start_stack

MARIA = "maria.keller@example.com"  # ORD-100001, shipped with DHL
TOM = "tom.becker@example.com"  # ORD-100002, processing
LENA = "lena.fischer@example.com"  # ORD-100003, delivered 5 days ago
# how long the SMTP server stays down in the outage test (the minute, shortened)
SMTP_OUTAGE_SECONDS = 8.0


@pytest.fixture(scope="module")
def smtp() -> Iterator[SmtpStandIn]:
    server = SmtpStandIn().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def mail_stack(tmp_path_factory: pytest.TempPathFactory, smtp: SmtpStandIn) -> Iterator[Stack]:
    from tests.bot.rasa_server.channels.mailgun_requests import SIGNING_KEY

    environment = {
        "EMAIL_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
        "SMTP_URL": smtp.url,
        "EMAIL_FROM": f"Shop support <{SUPPORT_ADDRESS}>",
        "EMAIL_RETRY_MAX_SECONDS": "1",
    }
    running = start_stack(tmp_path_factory.mktemp("email"), environment)
    try:
        yield running.stack
    finally:
        running.stop()


def _answer(smtp: SmtpStandIn, mail: Mail, timeout: float = 90) -> ReceivedMail:
    """The reply to `mail`: sent to its sender, in its thread."""
    return smtp.wait_for(mail.sender, lambda got: got.header("In-Reply-To") == f"<{mail.message_id}>", timeout)


def _our_id(reply: ReceivedMail) -> str:
    return reply.header("Message-ID").strip("<>")


def _conversation_of(stack: Stack, message_id: str) -> str:
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            return str(
                connection.execute(
                    select(received_message_ids.c.conversation_id).where(
                        received_message_ids.c.message_id == message_id
                    )
                ).scalar_one()
            )
    finally:
        engine.dispose()


def _user_texts(stack: Stack, conversation_id: str) -> List[str]:
    tracker = requests.get(stack.tracker_url(conversation_id), headers=stack.rasa_api_headers, timeout=30).json()
    return [event["text"] for event in tracker["events"] if event.get("event") == "user"]


def _order_status(stack: Stack, number: str) -> str:
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            status = connection.execute(select(orders.c.status).where(orders.c.number == number)).scalar_one()
            return str(getattr(status, "value", status))
    finally:
        engine.dispose()


def _received_count(stack: Stack) -> int:
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            return len(connection.execute(select(received_message_ids.c.message_id)).all())
    finally:
        engine.dispose()


def test_order_status_goes_to_the_orders_own_address(mail_stack: Stack, smtp: SmtpStandIn) -> None:
    mail = Mail(MARIA, "Where is my parcel?", "Hello,\n\nwhere is my order ORD-100001?\n\nThanks,\nMaria\n")
    assert send(mail_stack.rasa_url, mail).status_code == 200

    reply = _answer(smtp, mail)
    assert "DHL" in reply.text and "tracking number" in reply.text
    assert reply.header("Subject") == "Re: Where is my parcel?"
    assert reply.header("References") == f"<{mail.message_id}>"
    assert "DHL" in reply.html and reply.html.startswith("<!doctype html>")


def test_order_details_are_not_sent_to_another_sender(mail_stack: Stack, smtp: SmtpStandIn) -> None:
    stranger = f"someone-{uuid.uuid4().hex[:6]}@elsewhere.example"
    mail = Mail(stranger, "order", "Where is my order ORD-100001?")
    assert send(mail_stack.rasa_url, mail).status_code == 200

    reply = _answer(smtp, mail)
    assert "placed with" in reply.text
    assert "DHL" not in reply.text and "tracking" not in reply.text
    # and typing the order's address into the thread proves nothing either
    typed = reply_to(_our_id(reply), (mail.message_id,), stranger, "Re: order", MARIA)
    assert send(mail_stack.rasa_url, typed).status_code == 200
    assert "DHL" not in _answer(smtp, typed).text


def test_a_cancellation_is_confirmed_by_a_reply_in_the_thread(mail_stack: Stack, smtp: SmtpStandIn) -> None:
    mail = Mail(TOM, "Cancel", "Please cancel my order ORD-100002.\n\nYes, cancel it.")
    assert send(mail_stack.rasa_url, mail).status_code == 200
    question = _answer(smtp, mail)
    assert "Do you want me to cancel it?" in question.text
    assert "1. Yes, cancel it" in question.text and "2. No, keep it" in question.text
    assert _order_status(mail_stack, "ORD-100002") == "processing"

    # a "yes" that does not answer our mail (it names only the customer's own) starts a new conversation
    forged = reply_to(mail.message_id, (), TOM, "Re: Cancel", "1")
    assert send(mail_stack.rasa_url, forged).status_code == 200
    _answer(smtp, forged)
    assert _order_status(mail_stack, "ORD-100002") == "processing"

    # nor does a "1" in the thread from another address (our question forwarded to someone)
    stranger = f"colleague-{uuid.uuid4().hex[:6]}@elsewhere.example"
    forwarded = reply_to(_our_id(question), (mail.message_id,), stranger, "Re: Cancel", "1")
    assert send(mail_stack.rasa_url, forwarded).status_code == 200
    refused = smtp.wait_for(TOM, lambda got: got.header("In-Reply-To") == f"<{forwarded.message_id}>", 90)
    assert "the address the order was placed with" in refused.text
    assert _order_status(mail_stack, "ORD-100002") == "processing"

    confirmed = reply_to(
        _our_id(question), (mail.message_id,), TOM, "Re: Cancel", "1\n\n> Do you want me to cancel it?"
    )
    assert send(mail_stack.rasa_url, confirmed).status_code == 200
    done = _answer(smtp, confirmed)
    assert "is cancelled" in done.text
    assert _order_status(mail_stack, "ORD-100002") == "cancelled"


def _returns_of(stack: Stack, number: str) -> List[str]:
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            query = select(returns.c.number).join(orders, orders.c.id == returns.c.order_id)
            return [str(rma) for rma in connection.execute(query.where(orders.c.number == number)).scalars()]
    finally:
        engine.dispose()


def test_a_return_is_started_only_on_a_reply_from_the_orders_address_in_its_thread(
    mail_stack: Stack, smtp: SmtpStandIn
) -> None:
    mail = Mail(LENA, "Return", "Hello,\n\nI want to return my order ORD-100003, it does not fit.\n\nLena\n")
    assert send(mail_stack.rasa_url, mail).status_code == 200
    question = _answer(smtp, mail)
    assert "Shall I start a return for it?" in question.text
    assert "1. Yes, start the return" in question.text and "2. No, keep the order" in question.text
    assert _returns_of(mail_stack, "ORD-100003") == []

    # our question forwarded to someone else, who answers it: nothing changes, and only Lena's mailbox hears of it
    stranger = f"friend-{uuid.uuid4().hex[:6]}@elsewhere.example"
    forwarded = reply_to(_our_id(question), (mail.message_id,), stranger, "Re: Return", "1")
    assert send(mail_stack.rasa_url, forwarded).status_code == 200
    refused = smtp.wait_for(LENA, lambda got: got.header("In-Reply-To") == f"<{forwarded.message_id}>", 90)
    assert "the address the order was placed with" in refused.text
    assert "Shall I start a return for it?" in refused.text
    assert smtp.mails_to(stranger) == []
    assert _returns_of(mail_stack, "ORD-100003") == []

    # a yes from Lena's address that answers no mail of ours is a new conversation, and confirms nothing
    unthreaded = reply_to(mail.message_id, (), LENA, "Re: Return", "yes")
    assert send(mail_stack.rasa_url, unthreaded).status_code == 200
    _answer(smtp, unthreaded)
    assert _returns_of(mail_stack, "ORD-100003") == []

    confirmed = reply_to(
        _our_id(refused),
        (mail.message_id, _our_id(question), forwarded.message_id),
        LENA,
        "Re: Return",
        "yes\n\n> Shall I start a return for it?",
    )
    assert send(mail_stack.rasa_url, confirmed).status_code == 200
    done = _answer(smtp, confirmed)
    [rma] = _returns_of(mail_stack, "ORD-100003")
    assert f"I've started return {rma} for order ORD-100003" in done.text


def test_two_questions_in_one_mail_get_one_reply_answering_both(mail_stack: Stack, smtp: SmtpStandIn) -> None:
    mail = Mail(MARIA, "Two questions", "Hi,\nwhere is my order ORD-100001? And how long does delivery take?\n")
    assert send(mail_stack.rasa_url, mail).status_code == 200
    reply = _answer(smtp, mail)
    assert "DHL" in reply.text
    assert "business day" in reply.text
    time.sleep(2)
    assert len([m for m in smtp.mails_to(MARIA) if m.header("In-Reply-To") == f"<{mail.message_id}>"]) == 1


def test_a_thread_continues_one_conversation_across_three_mails(mail_stack: Stack, smtp: SmtpStandIn) -> None:
    first = Mail(MARIA, "My order", "I have a question about my order.")
    assert send(mail_stack.rasa_url, first).status_code == 200
    first_reply = _answer(smtp, first)
    second = reply_to(_our_id(first_reply), (first.message_id,), MARIA, "Re: My order", "It is ORD-100001.")
    assert send(mail_stack.rasa_url, second).status_code == 200
    second_reply = _answer(smtp, second)
    third = reply_to(
        _our_id(second_reply),
        (*second.references, _our_id(second_reply)),
        MARIA,
        "Re: My order",
        "how long does delivery take?",
    )
    assert send(mail_stack.rasa_url, third).status_code == 200
    third_reply = _answer(smtp, third)

    conversation = _conversation_of(mail_stack, first.message_id)
    assert _conversation_of(mail_stack, second.message_id) == conversation
    assert _conversation_of(mail_stack, third.message_id) == conversation
    assert _user_texts(mail_stack, conversation) == [
        "I have a question about my order.",
        "It is ORD-100001.",
        "how long does delivery take?",
    ]
    references = third_reply.header("References").split()
    assert references[-1] == f"<{third.message_id}>" and f"<{_our_id(second_reply)}>" in references
    # a new mail without references is a new conversation
    fresh = Mail(MARIA, "Another thing", "how long does delivery take?")
    assert send(mail_stack.rasa_url, fresh).status_code == 200
    _answer(smtp, fresh)
    assert _conversation_of(mail_stack, fresh.message_id) != conversation


def test_forged_replayed_and_oversized_posts_are_refused_and_change_nothing(mail_stack: Stack) -> None:
    before = _received_count(mail_stack)
    mail = Mail(MARIA, "forged", "Where is my order ORD-100001?")
    forged = post(mail_stack.rasa_url, form(mail, signed_fields(key="not-the-signing-key")))
    assert forged.status_code == 401
    unsigned = {k: v for k, v in form(mail, signed_fields()).items() if k != "signature"}
    assert post(mail_stack.rasa_url, unsigned).status_code == 401
    stale = post(mail_stack.rasa_url, form(mail, signed_fields(timestamp=int(time.time()) - 3600)))
    assert stale.status_code == 401
    assert _received_count(mail_stack) == before

    fields = form(Mail(MARIA, "once", "how long does delivery take?"), signed_fields())
    assert post(mail_stack.rasa_url, fields).status_code == 200
    after_first = _received_count(mail_stack)
    replayed = dict(fields, **{"body-plain": "cancel my order ORD-100002"})
    assert post(mail_stack.rasa_url, replayed).status_code == 403
    assert _received_count(mail_stack) == after_first


def test_a_mail_with_a_10_mb_photo_or_a_10_mb_text_is_answered(mail_stack: Stack, smtp: SmtpStandIn) -> None:
    customer = f"photo-{uuid.uuid4().hex[:6]}@example.com"
    with_photo = Mail(customer, "Delivery", "how long does delivery take?")
    photo = ("parcel.jpg", b"\xff\xd8" + b"p" * (10 * 1024 * 1024))
    assert send(mail_stack.rasa_url, with_photo, [photo]).status_code == 200
    reply = _answer(smtp, with_photo)
    assert "business day" in reply.text
    assert "attachments" in reply.text

    spanish = Mail(customer, "Envío", "Hola, ¿cuánto tiempo tarda el envío de un pedido a Madrid?")
    assert send(mail_stack.rasa_url, spanish, [("factura.pdf", b"%PDF" + b"f" * 1000)]).status_code == 200
    # the note is in the language the conversation's replies are in
    assert NOTES[Note.ATTACHMENTS_NOT_READ]["es"] in " ".join(_answer(smtp, spanish).text.split())

    long_text = Mail(customer, "Delivery again", "how long does delivery take?\n\n" + "x" * (10 * 1024 * 1024))
    assert send(mail_stack.rasa_url, long_text).status_code == 200
    assert "business day" in _answer(smtp, long_text).text


@pytest.fixture(scope="module")
def agent(mail_stack: Stack) -> Dict[str, str]:
    engine = create_handoff_engine(mail_stack.database_url)
    try:
        create_handoff_tables(engine)
        AgentRepository(engine).create("mail-agent", "Mail Agent", "mail-agent-password")
    finally:
        engine.dispose()
    login = requests.post(
        mail_stack.service_url + "/api/agents/login",
        json={"username": "mail-agent", "password": "mail-agent-password"},
        timeout=30,
    )
    login.raise_for_status()
    headers = {"Authorization": f"Bearer {login.json()['token']}"}
    requests.post(
        mail_stack.service_url + "/api/agents/me/status", json={"status": "online"}, headers=headers, timeout=30
    ).raise_for_status()
    return headers


def _handoff_for(stack: Stack, headers: Dict[str, str], conversation_id: str) -> Dict:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        response = requests.get(
            stack.service_url + "/api/handoffs", params={"status": "waiting"}, headers=headers, timeout=30
        )
        for handoff in response.json()["handoffs"]:
            if handoff["conversation_id"] == conversation_id:
                return dict(handoff)
        time.sleep(0.2)
    raise AssertionError("no handoff was opened")


def _transcript_texts(stack: Stack, headers: Dict[str, str], handoff_id: int, sender: str) -> List[str]:
    detail = requests.get(f"{stack.service_url}/api/handoffs/{handoff_id}", headers=headers, timeout=30).json()
    return [line["text"] for line in detail["transcript"] if line.get("sender") == sender]


def _wait_for_transcript(stack: Stack, headers: Dict[str, str], handoff_id: int, text: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if text in _transcript_texts(stack, headers, handoff_id, "customer"):
            return
        time.sleep(0.3)
    raise AssertionError(f"the customer's reply did not reach handoff {handoff_id}")


def test_an_escalated_mail_is_answered_by_an_agent_and_the_reply_comes_back_to_the_handoff(
    mail_stack: Stack, smtp: SmtpStandIn, agent: Dict[str, str]
) -> None:
    mail = Mail(MARIA, "Help", "I want to talk to a human")
    assert send(mail_stack.rasa_url, mail).status_code == 200
    queued = _answer(smtp, mail)
    conversation = _conversation_of(mail_stack, mail.message_id)
    handoff = _handoff_for(mail_stack, agent, conversation)
    assert handoff["channel"] == "email"

    url = f"{mail_stack.service_url}/api/handoffs/{handoff['id']}"
    assert requests.post(url + "/claim", headers=agent, timeout=30).status_code == 200
    agent_text = f"Hello Maria, this is the support team ({uuid.uuid4().hex[:6]})."
    assert requests.post(url + "/messages", json={"text": agent_text}, headers=agent, timeout=30).status_code in (
        201,
        202,
    )
    from_agent = smtp.wait_for(MARIA, lambda got: agent_text in got.text)
    assert from_agent.header("Subject") == "Re: Help"
    assert mail.message_id in from_agent.header("References")

    answer_text = f"Thanks, my parcel is late ({uuid.uuid4().hex[:6]})"
    answer = reply_to(_our_id(from_agent), (mail.message_id, _our_id(queued)), MARIA, "Re: Help", answer_text)
    photo = ("label.jpg", b"\xff\xd8" + b"l" * (3 * 1024 * 1024))
    assert send(mail_stack.rasa_url, answer, [photo]).status_code == 200
    # the photo itself was dropped; the agent reads its name and size under the customer's words
    _wait_for_transcript(mail_stack, agent, handoff["id"], f"{answer_text}\n[Attachments not read: label.jpg (3.0 MB)]")
    assert _conversation_of(mail_stack, answer.message_id) == conversation
    requests.post(url + "/close", json={"outcome": "resolved"}, headers=agent, timeout=30).raise_for_status()


def test_a_ticket_left_in_the_chat_is_answered_by_mail_and_the_answer_returns_to_it(
    mail_stack: Stack, smtp: SmtpStandIn, agent: Dict[str, str]
) -> None:
    customer = f"ticket-{uuid.uuid4().hex[:6]}@example.com"
    sender = f"chat-{uuid.uuid4().hex[:8]}"
    chat = requests.post(
        mail_stack.rasa_url + "/webhooks/rest/webhook",
        json={"sender": sender, "message": "hello"},
        headers=mail_stack.rest_headers,
        timeout=60,
    )
    chat.raise_for_status()
    conversation = f"rest-{sender}"
    ticket = requests.post(
        mail_stack.service_url + "/internal/tickets",
        json={
            "conversation_id": conversation,
            "channel": "socketio",
            "email": customer,
            "message": "My invoice is wrong",
        },
        headers={"X-Handoff-Secret": mail_stack.environment["HANDOFF_SECRET"]},
        timeout=30,
    )
    assert ticket.status_code == 201, ticket.text
    ticket_id = ticket.json()["ticket_id"]
    url = f"{mail_stack.service_url}/api/handoffs/{ticket_id}"
    assert requests.post(url + "/claim", headers=agent, timeout=30).status_code == 200
    agent_text = f"Sorry about the invoice, which line is wrong? ({uuid.uuid4().hex[:6]})"
    assert requests.post(url + "/messages", json={"text": agent_text}, headers=agent, timeout=30).status_code in (
        201,
        202,
    )

    mailed = smtp.wait_for(customer, lambda got: agent_text in got.text)
    assert mailed.header("Subject") == "Your message to our support team"
    answer_text = f"The shipping line is charged twice ({uuid.uuid4().hex[:6]})"
    answer = reply_to(_our_id(mailed), (), customer, "Re: Your message to our support team", answer_text)
    assert send(mail_stack.rasa_url, answer).status_code == 200
    _wait_for_transcript(mail_stack, agent, ticket_id, answer_text)
    time.sleep(2)
    # the agent holds the ticket: the bot does not answer the customer's reply
    assert [got for got in smtp.mails_to(customer) if got.header("In-Reply-To") == f"<{answer.message_id}>"] == []
    requests.post(url + "/close", json={"outcome": "resolved"}, headers=agent, timeout=30).raise_for_status()


def _pending_mails(stack: Stack, recipient: str) -> List[int]:
    engine = create_engine(stack.database_url)
    try:
        with engine.connect() as connection:
            return list(
                connection.execute(
                    select(outbox.c.attempts).where(outbox.c.recipient == recipient, outbox.c.state == "pending")
                ).scalars()
            )
    finally:
        engine.dispose()


def test_a_reply_written_while_smtp_is_down_arrives_once_when_it_is_back(mail_stack: Stack, smtp: SmtpStandIn) -> None:
    customer = f"outage-{uuid.uuid4().hex[:6]}@example.com"
    smtp.stop()
    try:
        mail = Mail(customer, "Delivery", "how long does delivery take?")
        assert send(mail_stack.rasa_url, mail).status_code == 200
        time.sleep(SMTP_OUTAGE_SECONDS)
        attempts = _pending_mails(mail_stack, customer)
        assert len(attempts) == 1 and attempts[0] >= 2
    finally:
        smtp.start()
    reply = _answer(smtp, mail, timeout=60)
    assert "business day" in reply.text
    time.sleep(4)
    assert len(smtp.mails_to(customer)) == 1
    assert _pending_mails(mail_stack, customer) == []
