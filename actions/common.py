"""What every action shares: the settings and store repository, created once per action server, and the fail-safe wrapper."""
from __future__ import annotations

import functools
import logging
import threading
from typing import Any, Awaitable, Callable, Dict, List, Optional

from rasa_sdk import Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.store.errors import StoreUnavailable
from actions.store.repository import StoreRepository
from bot.config import Settings

logger = logging.getLogger(__name__)

EventList = List[Dict[str, Any]]
RunMethod = Callable[[Any, CollectingDispatcher, Tracker, Dict[str, Any]], Awaitable[EventList]]

# Set by every answering action; the rules expect it, so a turn whose action never ran (the action server is
# down) matches no rule and Rasa's fallback apologises instead of staying silent. See docs/dialogue.md.
ANSWERED_SLOT = "turn_answered"

_settings: Optional[Settings] = None
_repository: Optional[StoreRepository] = None
# Reentrant: the repository is created from the settings while the lock is held.
_repository_lock = threading.RLock()


def action_settings() -> Settings:
    """The process's settings; the environment is read the first time an action needs them."""
    global _settings
    with _repository_lock:
        if _settings is None:
            _settings = Settings.from_env()
        return _settings


def store_repository() -> StoreRepository:
    """The process's repository; the database URL is read the first time an action needs it."""
    global _repository
    with _repository_lock:
        if _repository is None:
            _repository = StoreRepository.from_url(action_settings().database_url)
        return _repository


def forget_store_repository() -> None:
    """Drop the repository and settings so the next action reads them again (a new database URL in tests)."""
    global _repository, _settings
    with _repository_lock:
        if _repository is not None:
            _repository.engine.dispose()
        _repository = None
        _settings = None


def no_events(tracker: Tracker) -> EventList:
    return []


def fail_safe(
    on_failure: Callable[[Tracker], EventList] = no_events, answers_turn: bool = True
) -> Callable[[RunMethod], RunMethod]:
    """Turn any failure of an action's `run` into `utter_technical_problem` instead of silence.

    Messages the action queued before failing are withdrawn, so the customer never reads half an answer
    (such as "Done" before the database refused the change). Actions that answer a turn (all but form
    validators) also mark the turn answered.
    """

    def decorate(run: RunMethod) -> RunMethod:
        @functools.wraps(run)
        async def guarded(
            action: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[str, Any]
        ) -> EventList:
            answered = [SlotSet(ANSWERED_SLOT, True)] if answers_turn else []
            messages_before = len(dispatcher.messages)
            try:
                return list(await run(action, dispatcher, tracker, domain)) + answered
            except StoreUnavailable:
                logger.warning("%s: the store is unavailable", action.name(), exc_info=True)
            except Exception:
                logger.exception("%s failed for conversation %s", action.name(), tracker.sender_id)
            del dispatcher.messages[messages_before:]
            dispatcher.utter_message(response="utter_technical_problem")
            return on_failure(tracker) + answered

        return guarded

    return decorate
