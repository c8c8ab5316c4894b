"""The e-mail channel's settings: the webhook signing key, the SMTP server and the support address."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Optional
from urllib.parse import unquote, urlsplit

DEFAULT_FROM_ADDRESS = "Shop support <support@localhost>"
SMTP_PORTS = {"smtp": 25, "smtps": 465}


@dataclass(frozen=True)
class SmtpSettings:
    """`smtp://` uses STARTTLS when the server offers it; `smtps://` is TLS from the first byte."""

    host: str
    port: int
    implicit_tls: bool = False
    username: Optional[str] = None
    password: Optional[str] = None

    @classmethod
    def from_url(cls, url: str) -> SmtpSettings:
        parts = urlsplit(url.strip())
        if parts.scheme not in SMTP_PORTS or not parts.hostname:
            raise ValueError("SMTP_URL must look like smtp://user:password@host:port or smtps://...")
        return cls(
            host=parts.hostname,
            port=parts.port or SMTP_PORTS[parts.scheme],
            implicit_tls=parts.scheme == "smtps",
            username=unquote(parts.username) if parts.username else None,
            password=unquote(parts.password) if parts.password else None,
        )


@dataclass(frozen=True)
class EmailSettings:
    """Inbound mail is accepted only with a signing key; mail is sent only with an SMTP server."""

    signing_key: Optional[str] = None
    smtp_url: Optional[str] = None
    from_address: str = DEFAULT_FROM_ADDRESS
    # the longest wait between two attempts to send a mail while the SMTP server is down
    retry_max_seconds: float = 300.0

    @property
    def smtp(self) -> Optional[SmtpSettings]:
        return SmtpSettings.from_url(self.smtp_url) if self.smtp_url else None

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> EmailSettings:
        settings = cls(
            signing_key=env.get("EMAIL_WEBHOOK_SIGNING_KEY", "").strip() or None,
            smtp_url=env.get("SMTP_URL", "").strip() or None,
            from_address=env.get("EMAIL_FROM", "").strip() or DEFAULT_FROM_ADDRESS,
            retry_max_seconds=float(env.get("EMAIL_RETRY_MAX_SECONDS", "") or 300.0),
        )
        # a malformed SMTP_URL stops the start rather than the first reply
        _ = settings.smtp
        return settings
