"""Whether the customer's latest message is their consent to one change of one order.

A change (cancel, new address, return) happens only when the message is a clear "yes" (the `affirm`
intent, typed or the button's `/affirm`) that answers the question about that very change and order,
asked in the bot's turn right before it. A complaint, a new request, a hesitant "whatever" or anything
said after some other turn is no consent. By e-mail the "yes" must also come from the order's address.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Dict, FrozenSet, List, Optional

from rasa_sdk.events import SlotSet
from rasa_sdk.interfaces import Tracker

from actions.email_identity import EMAIL_CHANNEL, email_author
from bot.store.identifiers import normalise_email

AWAITING_SLOT = "awaiting"
# the order the open question is about, set together with `awaiting`
CONFIRMING_ORDER_SLOT = "confirming_order"
CONSENT_INTENT = "affirm"
# below this the classifier was unsure the message is a yes ("whatever", "fine I guess"), and we ask again
CONSENT_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Change:
    """One kind of change and the questions whose "yes" agrees to it."""

    name: str
    questions: FrozenSet[str]

    @property
    def question(self) -> str:
        """The `awaiting` value the change's own confirmation question sets."""
        return f"{self.name}_confirmation"


CANCEL = Change("cancel", frozenset({"cancel_confirmation"}))
ADDRESS = Change("address", frozenset({"address_confirmation"}))
# a delivered order the customer wanted to cancel is offered a return instead: that "yes" counts too
RETURN = Change("return", frozenset({"return_confirmation", "return_offer"}))


class NoConsent(str, Enum):
    NOT_ASKED = "not_asked"  # the turn before did not ask about this change of this order
    NOT_A_YES = "not_a_yes"  # the message is not a clear yes
    WRONG_SENDER = "wrong_sender"  # a yes by e-mail from an address that is not the order's


def asked(question: Optional[str], order_number: Optional[str]) -> List[Dict[str, Any]]:
    """The events of a turn that asks `question` about `order_number` (None, None: nothing is asked)."""
    return [SlotSet(AWAITING_SLOT, question), SlotSet(CONFIRMING_ORDER_SLOT, order_number)]


def _slots_set_in_turn_before(events: List[Dict[str, Any]]) -> Optional[Dict[str, Any]]:
    """What the bot's turn before the latest message set; None when there is no latest message."""
    users = [index for index, event in enumerate(events) if event.get("event") == "user"]
    if not users:
        return None
    latest = users[-1]
    previous = users[-2] if len(users) > 1 else -1
    slots: Dict[str, Any] = {}
    for event in events[previous + 1 : latest]:
        if event.get("event") == "slot":
            slots[str(event.get("name"))] = event.get("value")
    return slots


def _is_clear_yes(message: Dict[str, Any]) -> bool:
    intent = message.get("intent") or {}
    confidence = intent.get("confidence")
    return (
        intent.get("name") == CONSENT_INTENT
        and isinstance(confidence, (int, float))
        and confidence >= CONSENT_CONFIDENCE
    )


def missing_consent(tracker: Tracker, change: Change, order_number: str) -> Optional[NoConsent]:
    """None when the latest message agrees to `change` of `order_number`; else why it does not."""
    slots = _slots_set_in_turn_before(tracker.applied_events())
    if (
        slots is None
        or slots.get(AWAITING_SLOT) not in change.questions
        or slots.get(CONFIRMING_ORDER_SLOT) != order_number
    ):
        return NoConsent.NOT_ASKED
    if not _is_clear_yes(tracker.latest_message or {}):
        return NoConsent.NOT_A_YES
    if tracker.get_latest_input_channel() == EMAIL_CHANNEL:
        author = email_author(tracker)
        if author is None or author != normalise_email(tracker.get_slot("verified_email")):
            return NoConsent.WRONG_SENDER
    return None
