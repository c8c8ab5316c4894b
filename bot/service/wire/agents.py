"""Wire models of the agent API's account routes: login, logout, the agent themselves and their status."""

from __future__ import annotations

from pydantic import Field, StrictStr, validator

from bot.service.handoff.records import AgentRole, AgentStatus
from bot.service.wire.base import RequestModel, ResponseModel, filled_text, unicode_text


class LoginRequest(RequestModel):
    """An agent's username and password."""

    username: StrictStr = Field(..., max_length=80, pattern=r"\S")
    password: StrictStr = Field(..., max_length=200, pattern=r"\S")

    _unicode = validator("username", "password", allow_reuse=True)(unicode_text)
    _filled = validator("username", "password", allow_reuse=True)(filled_text)


class LoginAnswer(ResponseModel):
    """A fresh token, valid for 12 hours."""

    token: str


class LogoutAnswer(ResponseModel):
    """The token is no longer valid."""

    logged_out: bool


class AgentView(ResponseModel):
    """An agent as the console shows them."""

    id: int
    username: str
    display_name: str
    role: AgentRole
    status: AgentStatus
    max_concurrent_chats: int


class AgentWithChats(AgentView):
    """The logged-in agent and how many chats they hold now."""

    active_chats: int


class StatusRequest(RequestModel):
    """Whether the agent takes chats now."""

    status: AgentStatus


class StatusAnswer(ResponseModel):
    """The agent's status as stored."""

    status: AgentStatus
