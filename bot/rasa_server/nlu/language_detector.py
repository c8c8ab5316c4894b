"""Rasa NLU component: the message's language as a `language` entity, and a message in another language flagged."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    METADATA,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.language_guess import LanguageScorer, guess_language
from bot.rasa_server.nlu.language_scorers import default_scorer

LANGUAGE_ENTITY = "language"
# What the widget puts in every message's metadata (`data-language`, else the browser's language).
METADATA_LANGUAGE_KEY = "language"
UNSUPPORTED_LANGUAGE_INTENT = "unsupported_language"
INTENT_RANKING = "intent_ranking"


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False)
class LanguageDetector(GraphComponent):
    """Detects the language per message (lingua and py3langid agreeing); the widget's hint decides when the text is too short.

    Placed after the intent classifier: a message surely written in a language the assistant does not
    speak gets the intent `unsupported_language`, whose rule answers in English with the languages it
    speaks. No entity means the conversation keeps the language it had.
    """

    @staticmethod
    def required_packages() -> List[Text]:
        return ["lingua", "py3langid"]

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {}

    def __init__(self, scorer: LanguageScorer) -> None:
        self._scorer = scorer

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> LanguageDetector:
        return cls(default_scorer())

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        if not text:
            return
        metadata: Optional[Dict[str, Any]] = message.get(METADATA)
        hint = metadata.get(METADATA_LANGUAGE_KEY) if isinstance(metadata, dict) else None
        guess = guess_language(text, self._scorer, hint)
        if guess.language is None:
            return
        entity = {
            ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
            ENTITY_ATTRIBUTE_VALUE: guess.language,
            # The whole message says which language it is in; there is no span to point at.
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: 0,
            EXTRACTOR: self.__class__.__name__,
        }
        message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
        if not guess.supported:
            flagged = {INTENT_NAME_KEY: UNSUPPORTED_LANGUAGE_INTENT, PREDICTED_CONFIDENCE_KEY: 1.0}
            message.set(INTENT, flagged, add_to_output=True)
            message.set(INTENT_RANKING, [flagged], add_to_output=True)
