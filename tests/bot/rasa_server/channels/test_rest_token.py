"""The REST channel's request model and configuration; the channel end to end is tested with the running stack."""

from __future__ import annotations

from typing import Any, Dict

import pytest
from pydantic import ValidationError

from bot.rasa_server.channels.rest_token import (
    CONVERSATION_PREFIX,
    MAX_MESSAGE_LENGTH,
    RestMessage,
    TokenRestInput,
    conversation_id,
)


def parse(**body: Any) -> RestMessage:
    return RestMessage.parse_obj({"sender": "customer-42", "message": "where is my order?", **body})


def refused_fields(body: Dict[str, Any]) -> set:
    with pytest.raises(ValidationError) as refused:
        RestMessage.parse_obj(body)
    return {error["loc"][0] for error in refused.value.errors()}


def test_a_sender_and_a_message_are_accepted() -> None:
    message = parse()
    assert (message.sender, message.message, message.metadata) == ("customer-42", "where is my order?", None)


@pytest.mark.parametrize("sender", ["a", "customer_42", "crm:4711", "jane.doe@example.com", "+447700900123", "x" * 128])
def test_ids_a_backend_uses_are_accepted(sender: str) -> None:
    assert parse(sender=sender).sender == sender


@pytest.mark.parametrize("sender", [42, 4.2, None, True, ["customer-42"], {"id": "customer-42"}, b"customer-42"])
def test_a_sender_that_is_not_a_string_is_refused(sender: Any) -> None:
    assert refused_fields({"sender": sender, "message": "hello"}) == {"sender"}


@pytest.mark.parametrize(
    "sender",
    ["", "two words", " customer-42", "customer-42 ", "a/b", "../tracker", "a\\b", "x" * 129, "jürgen", "tab\there"],
)
def test_a_sender_that_is_not_an_id_is_refused(sender: str) -> None:
    assert refused_fields({"sender": sender, "message": "hello"}) == {"sender"}


@pytest.mark.parametrize("sender", ["customer-42\n", "x" * 128 + "\n"])
def test_a_sender_with_a_trailing_line_break_is_refused(sender: str) -> None:
    assert refused_fields({"sender": sender, "message": "hello"}) == {"sender"}


@pytest.mark.parametrize("message", ["", " ", "\n\t  "])
def test_an_empty_or_blank_message_is_refused(message: str) -> None:
    assert refused_fields({"sender": "customer-42", "message": message}) == {"message"}


def test_a_message_up_to_the_limit_is_accepted_and_one_longer_is_refused() -> None:
    assert len(parse(message="a" * MAX_MESSAGE_LENGTH).message) == MAX_MESSAGE_LENGTH == 2000
    assert refused_fields({"sender": "customer-42", "message": "a" * (MAX_MESSAGE_LENGTH + 1)}) == {"message"}


@pytest.mark.parametrize("message", [42, None, ["hello"], {"text": "hello"}])
def test_a_message_that_is_not_a_string_is_refused(message: Any) -> None:
    assert refused_fields({"sender": "customer-42", "message": message}) == {"message"}


def test_both_fields_are_required() -> None:
    assert refused_fields({}) == {"sender", "message"}


def test_metadata_is_accepted_as_a_dict() -> None:
    metadata = {"order_number": "ORD-100123", "nested": {"items": [1, 2]}}
    assert parse(metadata=metadata).metadata == metadata


@pytest.mark.parametrize("metadata", ["ORD-100123", ["ORD-100123"], 42])
def test_metadata_that_is_not_a_dict_is_refused(metadata: Any) -> None:
    assert refused_fields({"sender": "customer-42", "message": "hello", "metadata": metadata}) == {"metadata"}


def test_the_conversation_is_named_after_the_rest_sender() -> None:
    assert conversation_id("abc") == "rest-abc"
    # A REST caller naming another channel's conversation still gets a REST one.
    assert conversation_id("whatsapp-447700900123") == "rest-whatsapp-447700900123"
    assert conversation_id("abc").startswith(CONVERSATION_PREFIX)


@pytest.mark.parametrize("credentials", [{}, None, {"token": ""}, {"token": None}])
def test_the_channel_needs_a_token(credentials: Any) -> None:
    with pytest.raises(ValueError, match="REST_CHANNEL_TOKEN"):
        TokenRestInput.from_credentials(credentials)


def test_the_channel_is_rasas_rest_channel_with_the_configured_token() -> None:
    channel = TokenRestInput.from_credentials({"token": "rest-token-for-tests"})
    assert isinstance(channel, TokenRestInput)
    assert channel.token == "rest-token-for-tests"
    assert TokenRestInput.name() == "rest"
