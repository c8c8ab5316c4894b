"""Support agents: accounts, login tokens, presence and status."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, List, Optional

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.service.handoff import tables as schema
from bot.service.handoff.errors import Conflict, InvalidRequest
from bot.service.handoff.passwords import (
    dummy_password_hash,
    hash_password,
    new_token,
    password_matches,
    token_digest,
)
from bot.service.handoff.records import Agent, AgentRole, AgentStatus, HandoffStatus
from bot.service.handoff.row_records import record_from_row
from bot.service.handoff.sql_repository import SqlRepository, inserted_id

TOKEN_LIFETIME = timedelta(hours=12)
# an agent whose console has not been heard from for this long is not counted as online
PRESENCE_TIMEOUT = timedelta(seconds=90)


def _checked_password(password: str) -> str:
    if len(password) < 8:
        raise InvalidRequest("password must be at least 8 characters long")
    return password


class AgentRepository(SqlRepository):
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
                agent_id = inserted_id(
                    connection,
                    schema.agents.insert().values(
                        username=username,
                        display_name=display_name.strip(),
                        password_hash=hash_password(password),
                        role=role.value,
                        status=AgentStatus.AWAY.value,
                        max_concurrent_chats=max_concurrent_chats,
                        created_at=self._clock(),
                    ),
                )
        except IntegrityError as error:
            raise Conflict(f"an agent called {username!r} already exists") from error
        agent = self.get(agent_id)
        assert agent is not None
        return agent

    def get(self, agent_id: int) -> Optional[Agent]:
        return self._first(select(schema.agents).where(schema.agents.c.id == agent_id), _agent)

    def find(self, username: str) -> Optional[Agent]:
        return self._first(select(schema.agents).where(schema.agents.c.username == username), _agent)

    def list(self) -> List[Agent]:
        return self._all(select(schema.agents).order_by(schema.agents.c.username), _agent)

    def count(self) -> int:
        return self._count(select(func.count()).select_from(schema.agents))

    def log_in(self, username: str, password: str) -> Optional[str]:
        """Returns a fresh token, or None when the username or password is wrong."""
        with self._engine.connect() as connection:
            row = connection.execute(
                select(schema.agents.c.id, schema.agents.c.password_hash).where(schema.agents.c.username == username)
            ).first()
        # an unknown username costs one argon2 verification too, so timing does not reveal it
        matches = password_matches(row.password_hash if row else dummy_password_hash(), password)
        if row is None or not matches:
            return None
        token = new_token()
        now = self._clock()
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
        return self._first(
            select(schema.agents)
            .join(schema.agent_tokens, schema.agent_tokens.c.agent_id == schema.agents.c.id)
            .where(schema.agent_tokens.c.token_hash == token_digest(token))
            .where(schema.agent_tokens.c.expires_at > self._clock()),
            _agent,
        )

    def has_password(self, username: str, password: str) -> bool:
        """Reads only the hash, so it also works on a database an older release made."""
        stored = self._first(
            select(schema.agents.c.password_hash).where(schema.agents.c.username == username),
            lambda row: str(row.password_hash),
        )
        return stored is not None and password_matches(stored, password)

    def set_password(self, agent_id: int, password: str) -> None:
        """Also ends every session of the agent: whoever knew the old password is logged out."""
        password_hash = hash_password(_checked_password(password))
        with self._engine.begin() as connection:
            connection.execute(
                schema.agents.update().where(schema.agents.c.id == agent_id).values(password_hash=password_hash)
            )
            connection.execute(schema.agent_tokens.delete().where(schema.agent_tokens.c.agent_id == agent_id))

    def set_role(self, agent_id: int, role: AgentRole) -> None:
        self._change(schema.agents.update().where(schema.agents.c.id == agent_id).values(role=role.value))

    def log_out(self, token: str) -> None:
        self._change(schema.agent_tokens.delete().where(schema.agent_tokens.c.token_hash == token_digest(token)))

    def set_status(self, agent_id: int, status: AgentStatus) -> None:
        self._change(
            schema.agents.update()
            .where(schema.agents.c.id == agent_id)
            .values(status=status.value, last_seen_at=self._clock())
        )

    def mark_seen(self, agent_id: int, moment: Optional[datetime] = None) -> None:
        self._change(
            schema.agents.update().where(schema.agents.c.id == agent_id).values(last_seen_at=moment or self._clock())
        )

    def online_count(self, now: Optional[datetime] = None) -> int:
        seen_after = (now or self._clock()) - PRESENCE_TIMEOUT
        return self._count(
            select(func.count())
            .select_from(schema.agents)
            .where(schema.agents.c.status == AgentStatus.ONLINE.value)
            .where(schema.agents.c.last_seen_at > seen_after)
        )

    def active_chat_count(self, agent_id: int) -> int:
        return self._count(
            select(func.count())
            .select_from(schema.handoffs)
            .where(schema.handoffs.c.agent_id == agent_id)
            .where(schema.handoffs.c.status == HandoffStatus.ACTIVE.value)
        )


def _agent(row: Any) -> Agent:
    return record_from_row(Agent, row)
