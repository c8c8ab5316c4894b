"""Domain errors of the handoff service; the web layer maps each to an HTTP status."""
from __future__ import annotations


class HandoffError(Exception):
    """Base class; `str(error)` is a message fit to show an agent or an API client."""


class NotFound(HandoffError):
    pass


class Conflict(HandoffError):
    pass


class LimitReached(HandoffError):
    pass


class InvalidRequest(HandoffError):
    pass


class Unauthorized(HandoffError):
    pass


class Forbidden(HandoffError):
    """The agent is known but may not do this (someone else's chat, not a supervisor)."""


class UpstreamUnavailable(HandoffError):
    """Rasa could not be reached, so nothing was changed."""
