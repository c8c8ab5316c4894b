"""Keeps e-mail addresses and phone numbers out of every log line the processes write.

Installed once per process, before anything logs: every log record's message, arguments and
traceback text are masked when the record is made, whichever handler or formatter later writes it,
so Rasa's, Sanic's and SQLAlchemy's own messages are covered as well as ours.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any
from urllib.parse import unquote

EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63})+")
# Seven or more digits, optionally led by + and an area code in brackets, split by single spaces, dots or
# dashes: phone numbers, and the WhatsApp and SMS conversation ids built from them. Order numbers (six
# digits) stay readable, also when a count in brackets follows them.
PHONE = re.compile(r"(?<![\w])\+?(?:\(\d{1,5}\)[\s.-]?)?\d(?:[\s.-]?\d){6,}")
EMAIL_MASK = "<email>"
PHONE_MASK = "<phone>"
# Sanic's access log carries the request line in this record attribute rather than in the message.
_EXTRA_TEXT_FIELDS = ("request", "host")
_installed = False


def mask(text: str) -> str:
    # Request lines carry %40 and %2B for @ and +: masked as what they encode.
    if "%" in text:
        text = unquote(text)
    return PHONE.sub(PHONE_MASK, EMAIL.sub(EMAIL_MASK, text))


def mask_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a malformed format string: keep the template, drop the arguments
        message = str(record.msg)
    record.msg = mask(message)
    record.args = None
    if record.exc_info and not record.exc_text:
        record.exc_text = mask("".join(traceback.format_exception(*record.exc_info)).rstrip("\n"))
    if record.stack_info:
        record.stack_info = mask(record.stack_info)
    return record


class MaskingFilter(logging.Filter):
    """For attributes that are set after the record is made (`extra=`), such as Sanic's access log."""

    def filter(self, record: logging.LogRecord) -> bool:
        for name in _EXTRA_TEXT_FIELDS:
            value = getattr(record, name, None)
            if isinstance(value, str):
                setattr(record, name, mask(value))
        return True


def install() -> None:
    """Mask every record this process makes from now on; calling it again changes nothing."""
    global _installed
    if _installed:
        return
    make_record = logging.getLogRecordFactory()

    def masked_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return mask_record(make_record(*args, **kwargs))

    logging.setLogRecordFactory(masked_record)
    logging.getLogger("sanic.access").addFilter(MaskingFilter())
    _installed = True
