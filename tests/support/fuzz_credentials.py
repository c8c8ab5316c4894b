"""The headers a fuzzed request carries for its route's credential: none, a wrong one, undecodable, or the real one."""

from __future__ import annotations

import time
import uuid
from typing import Callable, Dict, Optional, Tuple
from urllib.parse import unquote_to_bytes

from bot.rasa_server.channels.signatures import messenger_signature, slack_signature
from bot.service.handoff.agent_repository import AgentRepository
from bot.service.handoff.database import create_handoff_engine, create_handoff_tables
from bot.shared.handoff_api import INTERNAL_SECRET_HEADER
from bot.shared.webchat.session_proof import PROOF_HEADER, is_valid_session_id, proof_for
from tests.bot.rasa_server.channels.platform_requests import PlatformSecrets
from tests.support.stack import Stack

Headers = Tuple[Tuple[bytes, bytes], ...]
UNDECODABLE = b"\xff\xfe\xed\xa0\x80"


class AgentLogin:
    """A real agent's token, logged in again after the fuzz logs it out."""

    def __init__(self, stack: Stack) -> None:
        self._database_url = stack.database_url
        self._username = f"fuzz{uuid.uuid4().hex[:8]}"
        self._password = f"fuzz-password-{uuid.uuid4().hex}"
        engine = create_handoff_engine(self._database_url)
        try:
            create_handoff_tables(engine)
            AgentRepository(engine).create(self._username, "Fuzz", self._password, 50)
        finally:
            engine.dispose()
        self._token: Optional[str] = None

    def token(self) -> str:
        if self._token is None:
            engine = create_handoff_engine(self._database_url)
            try:
                self._token = AgentRepository(engine).log_in(self._username, self._password)
            finally:
                engine.dispose()
            assert self._token is not None
        return self._token

    def forget(self) -> None:
        self._token = None


class FuzzCredentials:
    """Headers per credential kind, from the stack's secrets and the platforms' test secrets."""

    def __init__(self, stack: Stack, platforms: PlatformSecrets, agent: AgentLogin) -> None:
        settings = stack.settings
        self.agent = agent

        def bearer(token: str) -> Headers:
            return ((b"Authorization", b"Bearer " + token.encode()),)

        self._valid: Dict[str, Callable[[bytes, bytes], Headers]] = {
            "agent": lambda _target, _body: bearer(agent.token()),
            "internal": lambda _target, _body: ((INTERNAL_SECRET_HEADER.encode(), settings.handoff_secret.encode()),),
            "rasa_api": lambda _target, _body: bearer(settings.rasa_api_token or ""),
            "rest": lambda _target, _body: bearer(settings.rest_channel_token or ""),
            "action": lambda _target, _body: bearer(settings.action_server_token or ""),
            "messenger": lambda _target, body: (
                (b"X-Hub-Signature-256", messenger_signature(platforms.messenger_app_secret, body).encode()),
            ),
            "telegram": lambda _target, _body: (
                (b"X-Telegram-Bot-Api-Secret-Token", platforms.telegram_secret_token.encode()),
            ),
            "slack": self._slack(platforms.slack_signing_secret),
            "session_proof": self._session_proof(settings.webchat_session_secret),
        }
        self._names = {
            "internal": INTERNAL_SECRET_HEADER.encode(),
            "messenger": b"X-Hub-Signature-256",
            "telegram": b"X-Telegram-Bot-Api-Secret-Token",
            "slack": b"X-Slack-Signature",
            "session_proof": PROOF_HEADER.encode(),
        }

    @staticmethod
    def _slack(secret: str) -> Callable[[bytes, bytes], Headers]:
        def headers(_target: bytes, body: bytes) -> Headers:
            timestamp = str(int(time.time()))
            return (
                (b"X-Slack-Request-Timestamp", timestamp.encode()),
                (b"X-Slack-Signature", slack_signature(secret, timestamp, body).encode()),
            )

        return headers

    @staticmethod
    def _session_proof(secret: Optional[str]) -> Callable[[bytes, bytes], Headers]:
        def headers(target: bytes, _body: bytes) -> Headers:
            session_id = unquote_to_bytes(target.split(b"?")[0].rsplit(b"/", 1)[-1]).decode("utf-8", "replace")
            if not is_valid_session_id(session_id):
                return ()
            return ((PROOF_HEADER.encode(), proof_for(session_id, secret).encode()),)

        return headers

    def headers(self, credential: Optional[str], choice: str, target: bytes, body: bytes) -> Headers:
        if credential is None or choice == "none":
            return ()
        if choice == "valid":
            return self._valid[credential](target, body)
        name = self._names.get(credential, b"Authorization")
        if choice == "wrong":
            return ((name, b"Bearer wrong-token-0123456789" if name == b"Authorization" else b"sha256=00"),)
        return ((name, b"Bearer " + UNDECODABLE if name == b"Authorization" else UNDECODABLE),)
