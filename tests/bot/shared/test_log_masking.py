"""Masked logs: once installed, no e-mail address or phone number reaches a log line; order numbers stay."""

from __future__ import annotations

import io
import logging
import uuid
from typing import Iterator, List, Tuple

import pytest

from bot.shared import log_masking

EMAIL = "jane.doe+shop@example.co.uk"
PHONES = ["+44 7700 900123", "447700900123", "(555) 123-4567", "+1 (555) 123-4567", "555.123.4567"]
FORMAT = "%(levelname)s %(message)s"


@pytest.fixture
def masking() -> Iterator[None]:
    """`install()` for one test; afterwards the process logs exactly as it did before."""
    factory = logging.getLogRecordFactory()
    access = logging.getLogger("sanic.access")
    filters = list(access.filters)
    was_installed = log_masking._installed
    log_masking._installed = False
    log_masking.install()
    try:
        yield
    finally:
        logging.setLogRecordFactory(factory)
        access.filters[:] = filters
        log_masking._installed = was_installed


def _logger(name: str, fmt: str = FORMAT) -> Tuple[logging.Logger, io.StringIO]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(fmt))
    logger = logging.getLogger(name)
    logger.handlers[:] = [handler]
    logger.setLevel(logging.DEBUG)
    logger.propagate = False
    return logger, stream


@pytest.fixture
def captured() -> Iterator[Tuple[logging.Logger, io.StringIO]]:
    logger, stream = _logger(f"tests.log_masking.{uuid.uuid4().hex}")
    yield logger, stream
    logger.handlers.clear()


def _digits(text: str) -> str:
    return "".join(character for character in text if character.isdigit())


def test_without_install_nothing_is_masked(captured: Tuple[logging.Logger, io.StringIO]) -> None:
    # The control for every test below: the logger set-up itself does not hide anything.
    logger, stream = captured
    logger.info("customer %s called from %s", EMAIL, PHONES[0])
    assert EMAIL in stream.getvalue() and PHONES[0] in stream.getvalue()


@pytest.mark.parametrize("phone", PHONES)
def test_phone_numbers_in_the_message_are_masked(
    masking: None, captured: Tuple[logging.Logger, io.StringIO], phone: str
) -> None:
    logger, stream = captured
    logger.warning(f"customer called from {phone} about a parcel")
    line = stream.getvalue()
    assert log_masking.PHONE_MASK in line
    assert _digits(phone) not in _digits(line)
    assert "about a parcel" in line


def test_an_email_in_the_message_is_masked(masking: None, captured: Tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    logger.info(f"verification mail sent to {EMAIL}")
    line = stream.getvalue()
    assert EMAIL not in line and "example.co.uk" not in line
    assert f"verification mail sent to {log_masking.EMAIL_MASK}" in line


def test_percent_arguments_are_masked(masking: None, captured: Tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    logger.info("customer %s on %s asked about %s", EMAIL, "447700900123", "ORD-100123")
    line = stream.getvalue()
    assert line.strip() == "INFO customer <email> on <phone> asked about ORD-100123"


def test_a_whatsapp_conversation_id_in_a_url_path_is_masked(
    masking: None, captured: Tuple[logging.Logger, io.StringIO]
) -> None:
    logger, stream = captured
    logger.info("GET /conversations/whatsapp-447700900123/tracker 200")
    line = stream.getvalue()
    assert "447700900123" not in line
    assert "/conversations/whatsapp-<phone>/tracker 200" in line


def test_order_numbers_and_six_digit_numbers_stay_readable(
    masking: None, captured: Tuple[logging.Logger, io.StringIO]
) -> None:
    logger, stream = captured
    logger.info("order %s, verification code 123456, orders ORD-100123, ORD-100124", "ORD-100123")
    line = stream.getvalue()
    assert line.strip() == "INFO order ORD-100123, verification code 123456, orders ORD-100123, ORD-100124"


def test_an_order_number_followed_by_a_count_stays_readable(
    masking: None, captured: Tuple[logging.Logger, io.StringIO]
) -> None:
    logger, stream = captured
    logger.info("%s (%d items) shipped", "ORD-100123", 2)
    assert "ORD-100123 (2 items) shipped" in stream.getvalue()


def test_an_exception_traceback_is_masked(masking: None, captured: Tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    try:
        raise ValueError(f"no customer {EMAIL} with phone +44 7700 900123")
    except ValueError:
        logger.exception("lookup failed for %s", "447700900123")
    text = stream.getvalue()
    assert "Traceback (most recent call last)" in text and "ValueError: no customer <email> with phone <phone>" in text
    assert EMAIL not in text and "7700" not in text and "900123" not in text


def test_a_traceback_is_masked_whatever_formatter_writes_it(
    masking: None, captured: Tuple[logging.Logger, io.StringIO]
) -> None:
    # A second handler with its own formatter must not re-render the raw exception.
    logger, stream = captured
    other = io.StringIO()
    handler = logging.StreamHandler(other)
    handler.setFormatter(logging.Formatter("%(name)s | %(message)s"))
    logger.addHandler(handler)
    try:
        raise RuntimeError(f"mail to {EMAIL} bounced")
    except RuntimeError:
        logger.error("delivery failed", exc_info=True)
    for text in (stream.getvalue(), other.getvalue()):
        assert "RuntimeError: mail to <email> bounced" in text
        assert EMAIL not in text


def _log_with_stack(logger: logging.Logger, customer: str) -> None:
    logger.info("where am I", stack_info=True)


def test_stack_info_is_masked(masking: None, captured: Tuple[logging.Logger, io.StringIO]) -> None:
    logger, stream = captured
    _log_with_stack(logger, "jane@example.com")  # this source line shows in the stack
    text = stream.getvalue()
    assert "Stack (most recent call last)" in text and '_log_with_stack(logger, "<email>")' in text
    assert "jane@example.com" not in text


def test_a_malformed_format_string_still_logs_masked_text(
    masking: None, captured: Tuple[logging.Logger, io.StringIO]
) -> None:
    logger, stream = captured
    logger.info("customer %s %s", EMAIL)  # one argument too few
    line = stream.getvalue()
    assert EMAIL not in line
    assert "customer %s %s" in line


def _access_line(request_line: str, fmt: str = "%(host)s %(request)s %(message)s %(status)d") -> str:
    """What Sanic 21.12's access log writes: the request line comes from `extra=`, set after the record is made."""
    logger, stream = _logger("sanic.access", fmt)
    try:
        logger.info("", extra={"status": 200, "byte": 2, "host": "127.0.0.1:5005", "request": request_line})
    finally:
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    return stream.getvalue()


def test_the_sanic_access_log_request_is_masked(masking: None) -> None:
    line = _access_line(f"GET /conversations/whatsapp-447700900123/tracker?mail={EMAIL}")
    assert "447700900123" not in line and EMAIL not in line
    assert line.startswith("127.0.0.1:5005 GET /conversations/whatsapp-<phone>/tracker?mail=<email> ")
    assert line.rstrip().endswith(" 200")


def test_a_url_encoded_phone_number_in_the_access_log_is_masked(masking: None) -> None:
    # `+` is sent as %2B in a query string or an escaped path segment (whatsapp%3A%2B4477...).
    line = _access_line("GET /conversations/whatsapp%3A%2B447700900123/tracker?from=%2B447700900123")
    assert "447700900123" not in line


def test_a_url_encoded_email_in_the_access_log_is_masked(masking: None) -> None:
    line = _access_line("GET /history?email=jane.doe%40example.co.uk")
    assert "jane.doe" not in line and "example.co.uk" not in line


def test_the_sanic_access_log_is_not_masked_without_install() -> None:
    logger, stream = _logger("sanic.access", "%(request)s")
    try:
        logger.info("", extra={"request": "GET /conversations/whatsapp-447700900123/tracker"})
    finally:
        logger.handlers.clear()
        logger.propagate = True
        logger.setLevel(logging.NOTSET)
    assert "whatsapp-447700900123" in stream.getvalue()


def test_installing_twice_masks_once(masking: None, captured: Tuple[logging.Logger, io.StringIO]) -> None:
    factory = logging.getLogRecordFactory()
    access_filters: List[logging.Filter] = [
        f for f in logging.getLogger("sanic.access").filters if isinstance(f, log_masking.MaskingFilter)
    ]
    log_masking.install()
    assert logging.getLogRecordFactory() is factory
    assert [
        f for f in logging.getLogger("sanic.access").filters if isinstance(f, log_masking.MaskingFilter)
    ] == access_filters
    assert len(access_filters) == 1
    logger, stream = captured
    logger.info("call %s", "+44 7700 900123")
    assert stream.getvalue().strip() == "INFO call <phone>"
