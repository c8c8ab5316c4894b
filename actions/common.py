"""What every action shares: the event list type, the turn-answered marker and the fail-safe wrapper."""

from __future__ import annotations

import functools
import logging
from typing import Any, Callable, Coroutine, Dict, List, TypeVar

from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.interfaces import Action, Tracker
from rasa_sdk.types import DomainDict

from actions.texts.localise import language_of, localise_messages
from bot.store.errors import StoreUnavailable

logger = logging.getLogger(__name__)

EventList = List[Dict[str, Any]]
ActionT = TypeVar("ActionT", bound=Action)
RunMethod = Callable[[ActionT, CollectingDispatcher, Tracker, DomainDict], Coroutine[Any, Any, EventList]]

# Set by every answering action; the rules expect it, so a turn whose action never ran (the action server is
# down) matches no rule and Rasa's fallback apologises instead of staying silent. See docs/dialogue.md.
ANSWERED_SLOT = "turn_answered"


def no_events(tracker: Tracker) -> EventList:
    return []


def fail_safe(
    on_failure: Callable[[Tracker], EventList] = no_events, answers_turn: bool = True
) -> Callable[[RunMethod[ActionT]], RunMethod[ActionT]]:
    """Turn any failure of an action's `run` into `utter_technical_problem` instead of silence.

    Messages the action queued before failing are withdrawn, so the customer never reads half an answer
    (such as "Done" before the database refused the change). Actions that answer a turn (all but form
    validators) also mark the turn answered.
    """

    def decorate(run: RunMethod[ActionT]) -> RunMethod[ActionT]:
        @functools.wraps(run)
        async def guarded(
            action: ActionT, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
        ) -> EventList:
            answered = [SlotSet(ANSWERED_SLOT, True)] if answers_turn else []
            messages_before = len(dispatcher.messages)
            try:
                events = list(await run(action, dispatcher, tracker, domain)) + answered
                # The one place where what the action wrote into its responses follows the customer's language.
                localise_messages(dispatcher.messages[messages_before:], language_of(tracker))
                return events
            except StoreUnavailable:
                logger.warning("%s: the store is unavailable", action.name(), exc_info=True)
            except Exception:
                logger.exception("%s failed for conversation %s", action.name(), tracker.sender_id)
            del dispatcher.messages[messages_before:]
            dispatcher.utter_message(response="utter_technical_problem")
            return on_failure(tracker) + answered

        return guarded

    return decorate
