"""Request bodies of Rasa's HTTP API checked before its handlers read them: a wrong shape is a 400, not a 500.

Rasa's handlers call `.get` on whatever JSON arrived, index fields they never checked, and wrap every
exception of the conversion in a 500 "unexpected error" (found by tests/resilience/test_route_fuzz.py:
an empty body on trigger_intent, an object without `text` on /model/parse). The check runs where Rasa's
`ensure_loaded_agent` runs, after the token check, and converts events and trackers the way the
handler will, so anything it would fail on is refused first.
"""

from __future__ import annotations

from functools import wraps
from http import HTTPStatus
from inspect import isawaitable
from typing import Any, Callable, Dict, List, Optional

from sanic.request import Request


def _bad(message: str) -> Exception:
    from rasa.server import ErrorResponse

    return ErrorResponse(HTTPStatus.BAD_REQUEST, "BadRequest", message, {"parameter": "", "in": "body"})


def _body(request: Request) -> Any:
    try:
        return request.json
    except Exception:  # Sanic's InvalidUsage for a body that is not JSON
        raise _bad("The body is not JSON.") from None


def _object_with_text(request: Request, *names: str) -> Dict[str, Any]:
    body = _body(request)
    if not isinstance(body, dict):
        raise _bad("The body must be a JSON object.")
    for name in names:
        if not isinstance(body.get(name), str):
            raise _bad(f"'{name}' must be a string.")
    return body


def _check_parse(request: Request, _agent: Any) -> None:
    _object_with_text(request, "text")


def _check_trigger_intent(request: Request, _agent: Any) -> None:
    entities = _object_with_text(request, "name").get("entities")
    if entities is None or (isinstance(entities, dict) and all(isinstance(key, str) for key in entities)):
        return
    if not isinstance(entities, list) or not all(
        isinstance(entity, dict) and isinstance(entity.get("entity"), str) and "value" in entity for entity in entities
    ):
        raise _bad("'entities' must be an object or a list of {entity, value} objects.")


def _check_execute(request: Request, agent: Any) -> None:
    body = _object_with_text(request, "name")
    if body["name"] not in agent.domain.action_names_or_texts:
        raise _bad("'name' is not an action of this assistant.")
    if not isinstance(body.get("policy"), (str, type(None))) or not isinstance(
        body.get("confidence"), (int, float, type(None))
    ):
        raise _bad("'policy' must be a string and 'confidence' a number.")


def _check_add_message(request: Request, _agent: Any) -> None:
    parse_data = _object_with_text(request, "text", "sender").get("parse_data")
    if parse_data is None:
        return
    if not (
        isinstance(parse_data, dict)
        and isinstance(parse_data.get("intent"), dict)
        and isinstance(parse_data.get("entities"), list)
    ):
        raise _bad("'parse_data' must be an object with an 'intent' object and an 'entities' list.")


def _check_events(request: Request, _agent: Any) -> None:
    from rasa.shared.core.events import Event

    body = _body(request)
    events: List[Any] = body if isinstance(body, list) else [body]
    if not all(isinstance(event, dict) for event in events):
        raise _bad("Events must be JSON objects.")
    try:
        parsed = [Event.from_parameters(event) for event in events]
    except Exception:  # the handler would fail the same way, with a 500
        raise _bad("The body holds an event that is not valid.") from None
    # Rasa answers "no event" with a 400 raised inside its own catch-all, which turns it into a 500.
    if not parsed or not all(parsed):
        raise _bad("The body must hold events, each of a known kind.")


def _check_tracker(request: Request, agent: Any) -> None:
    from rasa.shared.core.trackers import DialogueStateTracker

    body = _body(request)
    if not isinstance(body, list) or not all(isinstance(event, dict) for event in body):
        raise _bad("The body must be a list of events.")
    try:
        DialogueStateTracker.from_dict("check", body, agent.domain.slots)
    except Exception:  # the handler would fail the same way, with a 500
        raise _bad("The body holds an event that is not valid.") from None


# Rasa's handler names (rasa/server.py) -> the check of what they read.
CHECKS: Dict[str, Callable[[Request, Any], None]] = {
    "parse": _check_parse,
    "trigger_intent": _check_trigger_intent,
    "execute_action": _check_execute,
    "add_message": _check_add_message,
    "append_events": _check_events,
    "replace_events": _check_tracker,
    "tracker_predict": _check_tracker,
}


def _checked(handler: Callable[..., Any], check: Callable[[Request, Any], None]) -> Callable[..., Any]:
    @wraps(handler)
    async def decorated(request: Request, *args: Any, **kwargs: Any) -> Any:
        check(request, request.app.ctx.agent)
        result = handler(request, *args, **kwargs)
        return await result if isawaitable(result) else result

    return decorated


def install() -> None:
    """Wrap Rasa's `ensure_loaded_agent`; call before `rasa.server.create_app` runs."""
    import rasa.server

    original = rasa.server.ensure_loaded_agent
    if getattr(original, "checks_bodies", False):
        return

    def ensure_loaded_agent(app: Any, require_core_is_ready: bool = False) -> Callable[[Callable[..., Any]], Any]:
        decorate = original(app, require_core_is_ready)

        def decorator(handler: Callable[..., Any]) -> Any:
            check: Optional[Callable[[Request, Any], None]] = CHECKS.get(handler.__name__)
            return decorate(_checked(handler, check) if check else handler)

        return decorator

    ensure_loaded_agent.checks_bodies = True  # type: ignore[attr-defined]
    rasa.server.ensure_loaded_agent = ensure_loaded_agent
