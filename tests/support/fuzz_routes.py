"""Every public route of the three processes, as their routers name them, with the credential each one takes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterator, Optional, Set, Tuple

BOT_SERVICE = "bot service"
RASA_SERVER = "Rasa server"
ACTION_SERVER = "action server"


@dataclass(frozen=True)
class Route:
    """One path of one server. `credential` names the valid credential its handler checks, if any."""

    service: str
    path: str  # the router's form, without the leading slash: "api/handoffs/<handoff_id:int>"
    methods: Tuple[str, ...]
    credential: Optional[str] = None
    # False where a valid credential would change what the rest of the fuzz runs against (unloading or
    # replacing the model, training, test runs that take minutes): those are fuzzed without it only.
    fuzz_with_credential: bool = True

    @property
    def test_id(self) -> str:
        return f"{self.service}:{'/'.join(self.methods)}:/{self.path}"


def _service(path: str, *methods: str, credential: Optional[str] = None) -> Route:
    return Route(BOT_SERVICE, path, methods, credential)


def _rasa(path: str, *methods: str, credential: Optional[str] = "rasa_api", trusted: bool = True) -> Route:
    return Route(RASA_SERVER, path, methods, credential, trusted)


HANDOFF = "api/handoffs/<handoff_id:int>"
CONVERSATION = "conversations/<conversation_id:path>"

ROUTES: Tuple[Route, ...] = (
    _service("health", "GET"),
    _service("api/openapi.json", "GET"),
    _service("api/agents/login", "POST"),
    _service("api/agents/logout", "POST", credential="agent"),
    _service("api/agents/me", "GET", credential="agent"),
    _service("api/agents/me/status", "POST", credential="agent"),
    _service("api/handoffs", "GET", credential="agent"),
    _service(HANDOFF, "GET", credential="agent"),
    _service(f"{HANDOFF}/claim", "POST", credential="agent"),
    _service(f"{HANDOFF}/messages", "POST", credential="agent"),
    _service(f"{HANDOFF}/notes", "POST", credential="agent"),
    _service(f"{HANDOFF}/close", "POST", credential="agent"),
    _service("api/stream", "GET", credential="agent"),
    _service("api/stream/ticket", "POST", credential="agent"),
    _service("internal/handoffs", "POST", credential="internal"),
    _service("internal/tickets", "POST", credential="internal"),
    _service("internal/ratings", "POST", credential="internal"),
    _service("console", "GET"),
    _service("console/assets/<__file_uri__:path>", "GET", "HEAD"),
    _service("", "GET"),
    _service("<filename:(webchat\\.js|webchat\\.css|shop\\.js|shop\\.css)>", "GET"),
    _service("webchat/vendor/socket.io.min.js", "GET"),
    _service("webchat/history/<session_id:str>", "GET", "OPTIONS", credential="session_proof"),
    _service("demo/token", "POST"),
    _service("webchat/typing/<session_id:str>", "GET", "OPTIONS", "POST", credential="session_proof"),
    _service("webchat/presence/<session_id:str>", "OPTIONS", "POST", credential="session_proof"),
    _service("api/canned-responses", "GET", credential="agent"),
    _service("api/conversations/search", "GET", credential="agent"),
    _service("api/labels", "GET", credential="agent"),
    _service(f"{HANDOFF}/facts", "GET", credential="agent"),
    _service(f"{HANDOFF}/labels", "POST", credential="agent"),
    _service(f"{HANDOFF}/presence", "POST", credential="agent"),
    _service(f"{HANDOFF}/transfer", "POST", credential="agent"),
    # supervisors' routes: the fuzz's agent has the agent role, so a valid token is refused with 403 here
    _service("api/supervisor/desk", "GET", credential="agent"),
    _service("api/privacy/audit", "GET", credential="agent"),
    _service("api/privacy/erase", "POST", credential="agent"),
    _service("api/privacy/export", "POST", credential="agent"),
    _service("api/reports/summary", "GET", credential="agent"),
    _service("api/reports/summary.csv", "GET", credential="agent"),
    _service("api/reports/timeseries", "GET", credential="agent"),
    _service("api/reports/timeseries.csv", "GET", credential="agent"),
    _service("api/reports/unanswered", "GET", credential="agent"),
    _service("api/reports/unanswered.yml", "GET", credential="agent"),
    _service("api/reports/unanswered/<question_id:int>/label", "POST", credential="agent"),
    _service("console/supervisor", "GET"),
    _service("console/vendor/chart.umd.min.js", "GET"),
    _service("metrics", "GET"),
    _rasa("", "GET", credential=None),
    _rasa("version", "GET", credential=None),
    _rasa("status", "GET"),
    _rasa("domain", "GET"),
    _rasa("model/parse", "POST"),
    _rasa("model/predict", "POST"),
    _rasa("model/train", "POST", trusted=False),
    _rasa("model/test/stories", "POST", trusted=False),
    _rasa("model/test/intents", "POST", trusted=False),
    _rasa("model", "PUT", trusted=False),
    _rasa("model", "DELETE", trusted=False),
    _rasa(f"{CONVERSATION}/tracker", "GET"),
    _rasa(f"{CONVERSATION}/tracker/events", "POST", "PUT"),
    _rasa(f"{CONVERSATION}/story", "GET"),
    _rasa(f"{CONVERSATION}/execute", "POST"),
    _rasa(f"{CONVERSATION}/trigger_intent", "POST"),
    _rasa(f"{CONVERSATION}/predict", "POST"),
    _rasa(f"{CONVERSATION}/messages", "POST"),
    _rasa("socket.io", "GET", "OPTIONS", "POST", credential=None),
    _rasa("webhooks/socketio", "GET", credential=None),
    _rasa("webhooks/rest", "GET", credential=None),
    _rasa("webhooks/rest/webhook", "POST", credential="rest"),
    _rasa("webhooks/facebook", "GET", credential=None),
    _rasa("webhooks/facebook/webhook", "GET", "POST", credential="messenger"),
    _rasa("webhooks/twilio", "GET", credential=None),
    _rasa("webhooks/twilio/webhook", "POST", credential=None),
    _rasa("webhooks/whatsapp", "GET", credential=None),
    _rasa("webhooks/whatsapp/webhook", "POST", credential=None),
    _rasa("webhooks/telegram", "GET", credential=None),
    _rasa("webhooks/telegram/webhook", "POST", credential="telegram"),
    _rasa("webhooks/slack", "GET", credential=None),
    _rasa("webhooks/slack/webhook", "GET", "POST", credential="slack"),
    _rasa("webhooks/email", "GET", credential=None),
    # signed inside its multipart body, which the fuzz's bodies are not
    _rasa("webhooks/email/webhook", "POST", credential=None),
    Route(ACTION_SERVER, "health", ("GET",)),
    Route(ACTION_SERVER, "webhook", ("POST",), "action"),
    Route(ACTION_SERVER, "actions", ("GET",), "action"),
)


def listed_routes(service: str) -> Set[Tuple[str, FrozenSet[str]]]:
    merged: Dict[str, Set[str]] = {}
    for route in routes_of(service):
        merged.setdefault(route.path, set()).update(route.methods)
    return {(path, frozenset(methods)) for path, methods in merged.items()}


def router_routes(app: object) -> Set[Tuple[str, FrozenSet[str]]]:
    """(path, methods) of every route a built Sanic app answers, merged per path as the list above has them."""
    router = app.router  # type: ignore[attr-defined]
    if not router.finalized:
        router.finalize()
    merged: Dict[str, Set[str]] = {}
    for route in router.routes:
        merged.setdefault(route.path, set()).update(route.methods)
    return {(path, frozenset(methods)) for path, methods in merged.items()}


def routes_of(service: str) -> Iterator[Route]:
    return (route for route in ROUTES if route.service == service)
