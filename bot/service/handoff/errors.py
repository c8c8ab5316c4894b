"""Domain errors of the handoff service; the web layer maps each to an HTTP status."""

from __future__ import annotations

from typing import Optional


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
    """Rasa did not confirm a call: it could not be reached, failed, or did not answer.

    `maybe_received` says whether the call may still have had its effect (Rasa got the request but
    the answer was lost); a retry must then look at the tracker before sending again. `permanent`
    says that sending the same call again cannot succeed.
    """

    maybe_received = True
    permanent = False

    def __init__(self, message: str, maybe_received: Optional[bool] = None) -> None:
        super().__init__(message)
        if maybe_received is not None:
            self.maybe_received = maybe_received


class UpstreamUnreachable(UpstreamUnavailable):
    """No connection could be made: Rasa never saw the request."""

    maybe_received = False


class UpstreamTimeout(UpstreamUnavailable):
    """Rasa did not answer in time; it may have done what was asked."""


class UpstreamRejected(UpstreamUnavailable):
    """Rasa refused the call as malformed (4xx); it changed nothing and never will accept it."""

    maybe_received = False
    permanent = True
