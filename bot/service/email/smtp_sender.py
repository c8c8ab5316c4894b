"""Hands one mail to the SMTP server: TLS from the start for smtps://, STARTTLS whenever it is offered."""

from __future__ import annotations

import smtplib
import ssl
from email import message_from_string, policy

from bot.shared.email.settings import SmtpSettings

TIMEOUT_SECONDS = 20.0


class SmtpUnavailable(Exception):
    """The server could not be reached or refused for now; the mail is tried again later."""


class SmtpRefused(Exception):
    """The server refused this mail for good (a 5xx answer); trying again would not help."""


class SmtpSender:
    def __init__(self, settings: SmtpSettings, timeout: float = TIMEOUT_SECONDS) -> None:
        self._settings = settings
        self._timeout = timeout

    def send(self, recipient: str, message: str) -> None:
        """Blocking; the outbox worker runs it in a thread."""
        parsed = message_from_string(message, policy=policy.SMTP)
        settings = self._settings
        context = ssl.create_default_context()
        try:
            client: smtplib.SMTP
            if settings.implicit_tls:
                client = smtplib.SMTP_SSL(settings.host, settings.port, timeout=self._timeout, context=context)
            else:
                client = smtplib.SMTP(settings.host, settings.port, timeout=self._timeout)
            with client:
                client.ehlo()
                if not settings.implicit_tls and client.has_extn("starttls"):
                    client.starttls(context=context)
                    client.ehlo()
                if settings.username:
                    client.login(settings.username, settings.password or "")
                client.send_message(parsed, to_addrs=[recipient])
        except smtplib.SMTPRecipientsRefused as error:
            raise SmtpRefused("the server refused the recipient") from error
        except smtplib.SMTPResponseException as error:
            if 500 <= error.smtp_code < 600:
                raise SmtpRefused(f"the server refused the mail ({error.smtp_code})") from error
            raise SmtpUnavailable(f"the server answered {error.smtp_code}") from error
        except (OSError, smtplib.SMTPException) as error:
            raise SmtpUnavailable(type(error).__name__) from error
