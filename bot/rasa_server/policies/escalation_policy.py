"""EscalationPolicy: hands the conversation to a human after repeated fallbacks or an upset message."""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Text

from rasa.core.constants import POLICY_PRIORITY, RULE_POLICY_PRIORITY
from rasa.core.policies.policy import Policy, PolicyPrediction, SupportedData
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrackerWithCachedStates
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server.sentiment.analyzer import DEFAULT_NEGATIVE_THRESHOLD, Mood, SentimentAnalyzer

logger = logging.getLogger(__name__)

HANDBACK_INTENT = "EXTERNAL_handback"
REASON_SLOT = "handoff_reason"


class EscalationReason:
    REPEATED_FALLBACK = "repeated_fallback"
    NEGATIVE_SENTIMENT = "negative_sentiment"
    ABUSIVE_LANGUAGE = "abusive_language"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.POLICY_WITHOUT_END_TO_END_SUPPORT], is_trainable=True)
class EscalationPolicy(Policy):
    """Predicts `action_handoff` (and sets `handoff_reason`) or abstains with all-zero scores.

    Its priority is above RulePolicy's, so an escalation wins over a rule's fallback answer.
    """

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            POLICY_PRIORITY: RULE_POLICY_PRIORITY + 2,
            "handoff_action": "action_handoff",
            "fallback_intent": "nlu_fallback",
            "consecutive_fallbacks": 2,
            "negative_threshold": DEFAULT_NEGATIVE_THRESHOLD,
            "detect_sentiment": True,
        }

    @staticmethod
    def supported_data() -> SupportedData:
        return SupportedData.ML_AND_RULE_DATA

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        featurizer: Optional[Any] = None,
    ) -> None:
        super().__init__(config, model_storage, resource, execution_context, featurizer)
        self._analyzer: Optional[SentimentAnalyzer] = None

    def _sentiment(self) -> SentimentAnalyzer:
        if self._analyzer is None:
            self._analyzer = SentimentAnalyzer(float(self.config["negative_threshold"]))
        return self._analyzer

    def train(self, training_trackers: List[TrackerWithCachedStates], domain: Domain, **kwargs: Any) -> Resource:
        # nothing to learn: the triggers are fixed by configuration
        return self._resource

    def predict_action_probabilities(
        self,
        tracker: DialogueStateTracker,
        domain: Domain,
        rule_only_data: Optional[Dict[Text, Any]] = None,
        **kwargs: Any,
    ) -> PolicyPrediction:
        handoff_action = self.config["handoff_action"]
        reason = self.escalation_reason(tracker)
        if reason is None or handoff_action not in domain.action_names_or_texts:
            return self._prediction(self._default_predictions(domain))
        probabilities = self._default_predictions(domain)
        probabilities[domain.index_for_action(handoff_action)] = 1.0
        logger.debug("escalating conversation %s: %s", tracker.sender_id, reason)
        return self._prediction(probabilities, optional_events=[SlotSet(REASON_SLOT, reason)])

    def escalation_reason(self, tracker: DialogueStateTracker) -> Optional[str]:
        """Why the conversation should go to a human now, or None."""
        if tracker.is_paused() or tracker.latest_action_name != ACTION_LISTEN_NAME:
            return None
        events = tracker.applied_events()
        if self._handoff_in_progress(events):
            return None
        user_messages = [event for event in events if isinstance(event, UserUttered)]
        if not user_messages:
            return None
        latest = user_messages[-1]
        if (latest.intent_name or "") == HANDBACK_INTENT:
            return None
        needed = int(self.config["consecutive_fallbacks"])
        recent = user_messages[-needed:]
        if len(recent) == needed and all(message.intent_name == self.config["fallback_intent"] for message in recent):
            return EscalationReason.REPEATED_FALLBACK
        if self.config["detect_sentiment"] and latest.text and not latest.text.startswith("/"):
            mood = self._sentiment().read(latest.text).mood
            if mood is Mood.ABUSIVE:
                return EscalationReason.ABUSIVE_LANGUAGE
            if mood is Mood.STRONGLY_NEGATIVE:
                return EscalationReason.NEGATIVE_SENTIMENT
        return None

    def _handoff_in_progress(self, events: List[Any]) -> bool:
        """True from `action_handoff` until the agent hands the chat back."""
        handoff_action = self.config["handoff_action"]
        for event in reversed(events):
            if isinstance(event, UserUttered) and event.intent_name == HANDBACK_INTENT:
                return False
            if isinstance(event, ActionExecuted) and event.action_name == handoff_action:
                return True
        return False
