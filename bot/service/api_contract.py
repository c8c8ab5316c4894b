"""Every JSON route of the bot service with its models, auth and answers: the source of the OpenAPI document."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Dict, Optional, Tuple, Type

from pydantic import BaseModel

from bot.service.wire import agents, console, handoffs, internal, stream, webchat
from bot.service.wire import privacy as privacy_wire
from bot.service.wire import reports as reports_wire
from bot.service.wire import supervisor as supervisor_wire
from bot.service.wire.base import RequestModel
from bot.service.wire.errors import RateLimitedAnswer


class Auth(Enum):
    PUBLIC = "public"
    BEARER = "bearer"
    # EventSource sends no headers: the stream also opens with a one-time ticket in the query
    BEARER_OR_TICKET = "bearer_or_ticket"
    HANDOFF_SECRET = "handoff_secret"
    SESSION_PROOF = "session_proof"


@dataclass(frozen=True)
class Reply:
    """One status a route answers; error statuses carry the error model unless one is named."""

    status: int
    description: str
    models: Tuple[Type[BaseModel], ...] = ()
    media_type: str = "application/json"


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    summary: str
    auth: Auth
    replies: Tuple[Reply, ...]
    body: Optional[Type[RequestModel]] = None
    query: Optional[Type[RequestModel]] = None
    tag: str = "agents"


_BAD = "malformed JSON, a missing or unknown field, a wrong type, or text that is not valid Unicode (a lone surrogate)"
_NOT_YOURS = "the chat is held by another agent (or nobody); only its holder or a supervisor may do this"
_NO_HANDOFF = Reply(404, "unknown handoff")
_BAD_BODY = Reply(400, _BAD)
_ID = "/api/handoffs/{id}"

# the path parameters by name; Sanic's own names differ (`handoff_id`), the documented ones stay as published
PATH_PARAMETERS: Dict[str, Dict[str, Any]] = {
    "id": {
        # ids are 32-bit on PostgreSQL; any other whole number (2^63, say) is simply no handoff: 404
        "description": "the handoff's id; outside 1 to 2147483647 there is none (404)",
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    },
    "session_id": {"description": "the web chat session, as the widget made it", "schema": {"type": "string"}},
    "question_id": {
        "description": "an unanswered question's id (GET /api/reports/unanswered); outside 1 to 2147483647 there is none",
        "schema": {"type": "integer", "minimum": 1, "maximum": 2**31 - 1},
    },
}

ROUTES: Tuple[Route, ...] = (
    Route(
        "post",
        "/api/agents/login",
        "Log in; returns {token}",
        Auth.PUBLIC,
        (
            Reply(200, "a fresh token valid for 12 hours", (agents.LoginAnswer,)),
            _BAD_BODY,
            Reply(401, "wrong username or password"),
            Reply(
                429,
                "too many failed logins for this username (5) or from this address (20) within 15 minutes; "
                "the Retry-After header gives the seconds to wait",
                (RateLimitedAnswer,),
            ),
        ),
        body=agents.LoginRequest,
    ),
    Route(
        "post",
        "/api/agents/logout",
        "Invalidate the token; the event streams opened with it end at once",
        Auth.BEARER,
        (Reply(200, "logged out", (agents.LogoutAnswer,)),),
    ),
    Route(
        "get",
        "/api/agents/me",
        "The logged-in agent and how many chats they hold",
        Auth.BEARER,
        (Reply(200, "agent and open chats", (agents.AgentWithChats,)),),
    ),
    Route(
        "post",
        "/api/agents/me/status",
        "Set status online or away",
        Auth.BEARER,
        (Reply(200, "the new status", (agents.StatusAnswer,)), _BAD_BODY),
        body=agents.StatusRequest,
    ),
    Route(
        "get",
        "/api/handoffs",
        "Handoffs by status, with wait so far, queue position and assigned agent",
        Auth.BEARER,
        (Reply(200, "the handoffs", (handoffs.HandoffList,)), Reply(400, "unknown status")),
        query=handoffs.HandoffListQuery,
    ),
    Route(
        "get",
        _ID,
        "Whole transcript (customer, bot, agent in order; the service's own lines with their delivery: "
        "pending, delivered or failed), notes, context card, and what is undelivered. A slow or unreachable "
        "Rasa gives history_available false, not an error",
        Auth.BEARER,
        (Reply(200, "the handoff and everything about it", (handoffs.HandoffDetail,)), _NO_HANDOFF),
    ),
    Route(
        "post",
        f"{_ID}/claim",
        "Take a waiting chat; exactly one agent succeeds",
        Auth.BEARER,
        (
            Reply(200, "the claimed handoff", (handoffs.HandoffEnvelope,)),
            _NO_HANDOFF,
            Reply(409, "already taken by another agent or closed"),
            Reply(429, "the agent already has the most chats allowed"),
        ),
    ),
    Route(
        "post",
        f"{_ID}/messages",
        "Send a message to the customer. It is stored with its delivery state and goes out through the "
        "outbox: once, in order, retried while Rasa is slow or down",
        Auth.BEARER,
        (
            Reply(201, "delivered: Rasa confirmed it", (handoffs.MessageEnvelope,)),
            Reply(
                202,
                "pending: Rasa has not confirmed it yet and the service keeps trying "
                "(stream event message_delivery when it has)",
                (handoffs.MessageEnvelope,),
            ),
            _BAD_BODY,
            Reply(403, _NOT_YOURS),
            _NO_HANDOFF,
            Reply(409, "the chat is not active (waiting, closing or closed)"),
            Reply(502, "Rasa refused the message; it is in the transcript as failed and was not sent"),
        ),
        body=handoffs.TextRequest,
    ),
    Route(
        "post",
        f"{_ID}/notes",
        "Add an internal note (never shown to the customer)",
        Auth.BEARER,
        (Reply(201, "the note", (handoffs.NoteEnvelope,)), _BAD_BODY, Reply(403, _NOT_YOURS), _NO_HANDOFF),
        body=handoffs.TextRequest,
    ),
    Route(
        "post",
        f"{_ID}/close",
        "Close the chat: resolved, or back_to_bot (the assistant takes over again). Idempotent: closing "
        "again with the same outcome returns the chat as it is",
        Auth.BEARER,
        (
            Reply(200, "the handoff with status closed", (handoffs.HandoffEnvelope,)),
            Reply(
                202,
                "the handoff with status closing: Rasa has not confirmed the hand-back yet; the service "
                "retries until it has (stream event handoff_closed), or gives the chat back "
                "(handoff_close_failed) if Rasa refuses it",
                (handoffs.HandoffEnvelope,),
            ),
            _BAD_BODY,
            Reply(403, _NOT_YOURS),
            _NO_HANDOFF,
            Reply(409, "the chat is waiting, or already closing or closed with the other outcome"),
        ),
        body=handoffs.CloseRequest,
    ),
    Route(
        "post",
        "/api/stream/ticket",
        "A one-time ticket for opening the event stream, valid for 30 seconds",
        Auth.BEARER,
        (Reply(201, "the ticket", (stream.StreamTicket,)),),
    ),
    Route(
        "get",
        "/api/stream",
        "Server-sent events: ready, handoff_opened, handoff_claimed, handoff_closing, handoff_closed, "
        "handoff_close_failed, message, message_delivery, note, agent_status, and session_ended (reason "
        "logged_out or expired) just before the stream closes. Open it with ?ticket= (EventSource sends no "
        "headers) or with the Authorization header; ?token= is refused.",
        Auth.BEARER_OR_TICKET,
        (Reply(200, "the event stream", media_type="text/event-stream"),),
        query=stream.StreamQuery,
    ),
    Route(
        "post",
        f"{_ID}/presence",
        "Say what the agent is doing in the chat (viewing, typing, left); the answer names the other agents "
        "who have it open, and the stream tells them (agent_presence). A holder's typing is shown to the customer",
        Auth.BEARER,
        (Reply(200, "the other agents in the chat", (console.PresenceAnswer,)), _BAD_BODY, _NO_HANDOFF),
        body=console.PresenceRequest,
    ),
    Route(
        "get",
        f"{_ID}/facts",
        "The context card's facts: the customer (name only once verified), language, the order in question "
        "with status, carrier and tracking link, failed verifications, earlier chats and labels",
        Auth.BEARER,
        (Reply(200, "the facts", (console.ChatFactsView,)), _NO_HANDOFF),
    ),
    Route(
        "post",
        f"{_ID}/labels",
        "Replace the conversation's labels (lower case, each once, at most 10 of 40 characters); holder or "
        "supervisor. The stream tells the consoles (labels)",
        Auth.BEARER,
        (Reply(200, "the labels as stored", (console.LabelsAnswer,)), _BAD_BODY, Reply(403, _NOT_YOURS), _NO_HANDOFF),
        body=console.LabelsRequest,
    ),
    Route(
        "get",
        "/api/labels",
        "Labels in use, for suggestions",
        Auth.BEARER,
        (Reply(200, "the labels", (console.KnownLabels,)),),
    ),
    Route(
        "get",
        "/api/canned-responses",
        "Saved replies with their /shortcuts in the customer's language (English when there are none in it)",
        Auth.BEARER,
        (Reply(200, "the replies", (console.CannedResponses,)),),
        query=console.CannedResponsesQuery,
    ),
    Route(
        "get",
        "/api/conversations/search",
        "Past and present conversations by the customer's e-mail, an order number (any way it is typed) or "
        "words said, newest first; every agent reads every conversation",
        Auth.BEARER,
        (Reply(200, "the conversations found", (console.SearchAnswer,)),),
        query=console.SearchQuery,
    ),
    Route(
        "get",
        "/api/openapi.json",
        "This document",
        Auth.PUBLIC,
        (Reply(200, "the OpenAPI 3.0 document of these routes"),),
        tag="documentation",
    ),
    Route(
        "post",
        "/internal/handoffs",
        "Hand a conversation to a person: queued if agents are online in business hours, else offline",
        Auth.HANDOFF_SECRET,
        (
            Reply(201, "live (queued) or offline", (internal.LiveEscalation, internal.OfflineEscalation)),
            _BAD_BODY,
        ),
        body=internal.EscalationRequest,
        tag="internal",
    ),
    Route(
        "post",
        "/internal/tickets",
        "A message the customer left, as a ticket in the agents' queue",
        Auth.HANDOFF_SECRET,
        (Reply(201, "the ticket", (internal.TicketCreated,)), Reply(400, f"{_BAD}, or no valid email")),
        body=internal.TicketRequest,
        tag="internal",
    ),
    Route(
        "post",
        "/internal/ratings",
        "The customer's rating of the chat",
        Auth.HANDOFF_SECRET,
        (Reply(201, "the rating as stored", (internal.RatingStored,)), _BAD_BODY),
        body=internal.RatingRequest,
        tag="internal",
    ),
    Route(
        "get",
        "/webchat/history/{session_id}",
        "The visible transcript of a web chat session, for the browser holding its proof",
        Auth.SESSION_PROOF,
        (
            Reply(200, "the transcript", (webchat.History,)),
            Reply(400, "not a chat session id"),
            Reply(404, "no such chat session, or the proof does not match"),
            Reply(429, "too many history requests from this address", (RateLimitedAnswer,)),
            Reply(503, "Rasa cannot be asked right now"),
        ),
        tag="webchat",
    ),
    Route(
        "post",
        "/webchat/typing/{session_id}",
        "The customer is typing (or stopped); the agents' consoles hear of it while a person has the chat",
        Auth.SESSION_PROOF,
        (
            Reply(200, "whether a console was told", (console.CustomerTypingAnswer,)),
            Reply(400, "not a chat session id, or a body that does not fit"),
            Reply(404, "no such chat session, or the proof does not match"),
            Reply(429, "too many typing signals from this session", (RateLimitedAnswer,)),
        ),
        body=console.CustomerTypingRequest,
        tag="webchat",
    ),
    Route(
        "post",
        "/webchat/presence/{session_id}",
        "The widget's heartbeat while its customer waits for a person (every 30 s), or that the chat was closed; "
        "a customer who stops sending it has left the queue (docs/reports.md, abandoned)",
        Auth.SESSION_PROOF,
        (
            Reply(
                200, "whether it was kept (only for a live chat waiting in the queue)", (webchat.ChatPresenceAnswer,)
            ),
            Reply(400, "not a chat session id, or a body that does not fit"),
            Reply(404, "no such chat session, or the proof does not match"),
            Reply(429, "too many presence signals from this session", (RateLimitedAnswer,)),
        ),
        body=webchat.ChatPresenceRequest,
        tag="webchat",
    ),
    Route(
        "get",
        "/webchat/typing/{session_id}",
        "Long poll: answers when the agent's typing differs from ?typing= (what the widget shows), or after "
        "about 20 seconds",
        Auth.SESSION_PROOF,
        (
            Reply(200, "whether the agent is typing", (console.AgentTypingAnswer,)),
            Reply(400, "not a chat session id"),
            Reply(404, "no such chat session, or the proof does not match"),
            Reply(429, "too many waits from this session", (RateLimitedAnswer,)),
        ),
        query=console.AgentTypingQuery,
        tag="webchat",
    ),
    Route(
        "post",
        "/demo/token",
        "Sign the demo shop's page in as one of the demo customers",
        Auth.PUBLIC,
        (
            Reply(200, "a signed shopper token", (webchat.DemoToken,)),
            Reply(400, "not one of the demo customers"),
            Reply(404, "demo sign-in is switched off"),
            Reply(429, "too many sign-in requests from this address", (RateLimitedAnswer,)),
        ),
        body=webchat.DemoTokenRequest,
        tag="webchat",
    ),
)

# Supervisors' reports and privacy requests (docs/reports.md), and the Prometheus scrape
_SUPERVISORS = Reply(403, "the token is an agent's; only a supervisor may read reports or customers' data")
_PERIOD = Reply(400, "the query does not fit its schema, 'to' is not after 'from', or the period is over 366 days")
ROUTES += (
    Route(
        "get",
        "/api/reports/summary",
        "The figures of a period (default: today, UTC): conversations, containment, escalations and their "
        "reasons, abandoned chats, first response and handle times, outcomes, CSAT, per agent, top intents",
        Auth.BEARER,
        (Reply(200, "the summary", (reports_wire.Summary,)), _PERIOD, _SUPERVISORS),
        query=reports_wire.ReportQuery,
        tag="reports",
    ),
    Route(
        "get",
        "/api/reports/summary.csv",
        "The summary as CSV: one figure a line, then one line per agent",
        Auth.BEARER,
        (Reply(200, "the summary", media_type="text/csv"), _PERIOD, _SUPERVISORS),
        query=reports_wire.ReportQuery,
        tag="reports",
    ),
    Route(
        "get",
        "/api/reports/timeseries",
        "One figure per hour or day of a period, for charts",
        Auth.BEARER,
        (Reply(200, "the points", (reports_wire.Timeseries,)), _PERIOD, _SUPERVISORS),
        query=reports_wire.TimeseriesQuery,
        tag="reports",
    ),
    Route(
        "get",
        "/api/reports/timeseries.csv",
        "The time series as CSV (at, value)",
        Auth.BEARER,
        (Reply(200, "the points", media_type="text/csv"), _PERIOD, _SUPERVISORS),
        query=reports_wire.TimeseriesQuery,
        tag="reports",
    ),
    Route(
        "post",
        "/api/privacy/export",
        "Everything every store holds about one customer (by e-mail or phone); the export is written to the audit log",
        Auth.BEARER,
        (Reply(200, "the customer's data, store by store", (privacy_wire.CustomerExport,)), _SUPERVISORS),
        body=privacy_wire.CustomerRequest,
        tag="privacy",
    ),
    Route(
        "post",
        "/api/privacy/erase",
        "Erase one customer's data in every store; report counts stay, nothing that identifies them does",
        Auth.BEARER,
        (Reply(200, "what was erased", (privacy_wire.CustomerErased,)), _SUPERVISORS),
        body=privacy_wire.CustomerRequest,
        tag="privacy",
    ),
    Route(
        "get",
        "/api/privacy/audit",
        "The newest 500 views and exports of customers' data by agents",
        Auth.BEARER,
        (Reply(200, "the audit log", (privacy_wire.AuditLog,)), _SUPERVISORS),
        tag="privacy",
    ),
    Route(
        "get",
        "/metrics",
        "Prometheus metrics (text format 0.0.4): counts and histograms only, no ids or text. Needs "
        "'Authorization: Bearer <METRICS_TOKEN>' when METRICS_TOKEN is set, else answers loopback callers only",
        Auth.PUBLIC,
        (
            Reply(200, "the metrics", media_type="text/plain"),
            Reply(401, "METRICS_TOKEN is set and the bearer token does not match"),
            Reply(403, "not a loopback caller and no METRICS_TOKEN set"),
        ),
        tag="operations",
    ),
)

# The supervisor view's own routes: the desk at a glance, transfers, and the unanswered questions
ROUTES += (
    Route(
        "get",
        "/api/supervisor/desk",
        "Every live chat waiting or handled now (with its agent and waiting time) and every agent with status and load",
        Auth.BEARER,
        (Reply(200, "the desk", (supervisor_wire.DeskOverview,)), _SUPERVISORS),
        tag="supervisors",
    ),
    Route(
        "post",
        f"{_ID}/transfer",
        "Move a waiting or active chat to another agent (null: back to the queue) with a note for them; the customer "
        "is told who joined, or their place in the queue",
        Auth.BEARER,
        (
            Reply(200, "the chat after the transfer", (supervisor_wire.TransferAnswer,)),
            _BAD_BODY,
            _SUPERVISORS,
            Reply(404, "unknown handoff or agent"),
            Reply(409, "the chat is closing or closed, or already held by that agent"),
            Reply(429, "that agent already holds as many chats as they may"),
        ),
        body=supervisor_wire.TransferRequest,
        tag="supervisors",
    ),
    Route(
        "get",
        "/api/reports/unanswered",
        "The period's customer messages the assistant fell back on or that a handoff followed, masked, grouped by "
        "similarity, with any label they have",
        Auth.BEARER,
        (Reply(200, "the groups", (reports_wire.UnansweredList,)), _PERIOD, _SUPERVISORS),
        query=reports_wire.ReportQuery,
        tag="reports",
    ),
    Route(
        "post",
        "/api/reports/unanswered/{question_id}/label",
        "Label a question with the intent it should have had; its masked text goes into the NLU export",
        Auth.BEARER,
        (
            Reply(201, "the label", (reports_wire.LabelAnswer,)),
            _BAD_BODY,
            _SUPERVISORS,
            Reply(404, "no such question, or its conversation was erased"),
        ),
        body=reports_wire.LabelRequest,
        tag="reports",
    ),
    Route(
        "get",
        "/api/reports/unanswered.yml",
        "Every labelled question as Rasa NLU training data (version 3.1), to review into data/",
        Auth.BEARER,
        (Reply(200, "the NLU YAML", media_type="application/x-yaml"), _SUPERVISORS),
        tag="reports",
    ),
)
