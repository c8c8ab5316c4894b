"""Support agents: accounts, login tokens, presence and status."""
from __future__ import annotations

from datetime import datetime, timedelta
from typing import List, Optional

from sqlalchemy import func, select
from sqlalchemy.engine import Engine, Row
from sqlalchemy.exc import IntegrityError

from bot.handoff import schema
from bot.handoff.clock import utc_now
from bot.handoff.errors import Conflict, InvalidRequest
from bot.handoff.models import Agent, AgentRole, AgentStatus, HandoffStatus
from bot.handoff.passwords import (
    dummy_password_hash,
    hash_password,
    new_token,
    password_matches,
    token_digest,
)

TOKEN_LIFETIME = timedelta(hours=12)
# an agent whose console has not been heard from for this long is not counted as online
PRESENCE_TIMEOUT = timedelta(seconds=90)


def _agent_from_row(row: Row) -> Agent:
    return Agent(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        status=AgentStatus(row.status),
        max_concurrent_chats=row.max_concurrent_chats,
        last_seen_at=row.last_seen_at,
        role=AgentRole(row.role),
    )


def _checked_password(password: str) -> str:
    if len(password) < 8:
        raise InvalidRequest("password must be at least 8 characters long")
    return password


class AgentRepository:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def create(
        self,
        username: str,
        display_name: str,
        password: str,
        max_concurrent_chats: int = 3,
        role: AgentRole = AgentRole.AGENT,
    ) -> Agent:
        username = username.strip()
        if not username or not display_name.strip():
            raise InvalidRequest("username and display name must not be empty")
        _checked_password(password)
        if max_concurrent_chats < 1:
            raise InvalidRequest("an agent must be allowed at least one chat")
        try:
            with self._engine.begin() as connection:
                agent_id = connection.execute(
                    schema.agents.insert().values(
                        username=username,
                        display_name=display_name.strip(),
                        password_hash=hash_password(password),
                        role=role.value,
                        status=AgentStatus.AWAY.value,
                        max_concurrent_chats=max_concurrent_chats,
                        created_at=utc_now(),
                    )
                ).inserted_primary_key[0]
        except IntegrityError as error:
            raise Conflict(f"an agent called {username!r} already exists") from error
        agent = self.get(agent_id)
        assert agent is not None
        return agent

    def get(self, agent_id: int) -> Optional[Agent]:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(schema.agents).where(schema.agents.c.id == agent_id)
            ).first()
        return None if row is None else _agent_from_row(row)

    def find(self, username: str) -> Optional[Agent]:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(schema.agents).where(schema.agents.c.username == username)
            ).first()
        return None if row is None else _agent_from_row(row)

    def list(self) -> List[Agent]:
        with self._engine.connect() as connection:
            rows = connection.execute(select(schema.agents).order_by(schema.agents.c.username))
            return [_agent_from_row(row) for row in rows]

    def count(self) -> int:
        with self._engine.connect() as connection:
            return int(connection.execute(select(func.count()).select_from(schema.agents)).scalar_one())

    def log_in(self, username: str, password: str) -> Optional[str]:
        """Returns a fresh token, or None when the username or password is wrong."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(schema.agents.c.id, schema.agents.c.password_hash)
                .where(schema.agents.c.username == username)
            ).first()
        # an unknown username costs one argon2 verification too, so timing does not reveal it
        matches = password_matches(row.password_hash if row else dummy_password_hash(), password)
        if row is None or not matches:
            return None
        token = new_token()
        now = utc_now()
        with self._engine.begin() as connection:
            connection.execute(
                schema.agent_tokens.insert().values(
                    token_hash=token_digest(token),
                    agent_id=row.id,
                    created_at=now,
                    expires_at=now + TOKEN_LIFETIME,
                )
            )
        return token

    def agent_for_token(self, token: str) -> Optional[Agent]:
        now = utc_now()
        with self._engine.connect() as connection:
            row = connection.execute(
                select(schema.agents)
                .join(schema.agent_tokens, schema.agent_tokens.c.agent_id == schema.agents.c.id)
                .where(schema.agent_tokens.c.token_hash == token_digest(token))
                .where(schema.agent_tokens.c.expires_at > now)
            ).first()
        return None if row is None else _agent_from_row(row)

    def has_password(self, username: str, password: str) -> bool:
        """Reads only the hash, so it also works on a database an older release made."""
        with self._engine.connect() as connection:
            stored = connection.execute(
                select(schema.agents.c.password_hash).where(schema.agents.c.username == username)
            ).scalar_one_or_none()
        return stored is not None and password_matches(stored, password)

    def set_password(self, agent_id: int, password: str) -> None:
        """Also ends every session of the agent: whoever knew the old password is logged out."""
        password_hash = hash_password(_checked_password(password))
        with self._engine.begin() as connection:
            connection.execute(
                schema.agents.update()
                .where(schema.agents.c.id == agent_id)
                .values(password_hash=password_hash)
            )
            connection.execute(
                schema.agent_tokens.delete().where(schema.agent_tokens.c.agent_id == agent_id)
            )

    def set_role(self, agent_id: int, role: AgentRole) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                schema.agents.update().where(schema.agents.c.id == agent_id).values(role=role.value)
            )

    def log_out(self, token: str) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                schema.agent_tokens.delete().where(
                    schema.agent_tokens.c.token_hash == token_digest(token)
                )
            )

    def set_status(self, agent_id: int, status: AgentStatus) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                schema.agents.update()
                .where(schema.agents.c.id == agent_id)
                .values(status=status.value, last_seen_at=utc_now())
            )

    def mark_seen(self, agent_id: int, moment: Optional[datetime] = None) -> None:
        with self._engine.begin() as connection:
            connection.execute(
                schema.agents.update()
                .where(schema.agents.c.id == agent_id)
                .values(last_seen_at=moment or utc_now())
            )

    def online_count(self, now: Optional[datetime] = None) -> int:
        seen_after = (now or utc_now()) - PRESENCE_TIMEOUT
        with self._engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(schema.agents)
                    .where(schema.agents.c.status == AgentStatus.ONLINE.value)
                    .where(schema.agents.c.last_seen_at > seen_after)
                ).scalar_one()
            )

    def active_chat_count(self, agent_id: int) -> int:
        with self._engine.connect() as connection:
            return int(
                connection.execute(
                    select(func.count())
                    .select_from(schema.handoffs)
                    .where(schema.handoffs.c.agent_id == agent_id)
                    .where(schema.handoffs.c.status == HandoffStatus.ACTIVE.value)
                ).scalar_one()
            )
