"""Who may write in a handoff: the agent holding the chat, or a supervisor. Reading stays open to agents."""

from __future__ import annotations

from bot.service.handoff.errors import Forbidden
from bot.service.handoff.records import Agent, AgentRole, Handoff


def may_write_in(agent: Agent, handoff: Handoff) -> bool:
    return agent.role is AgentRole.SUPERVISOR or (handoff.agent_id is not None and handoff.agent_id == agent.id)


def require_write_access(agent: Agent, handoff: Handoff, action: str) -> None:
    """`action` completes "only the agent who claimed this chat or a supervisor may ..."."""
    if not may_write_in(agent, handoff):
        hint = "; claim it first" if handoff.agent_id is None else ""
        raise Forbidden(f"only the agent who claimed this chat or a supervisor may {action}{hint}")
