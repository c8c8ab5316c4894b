"""The Rasa component: a `language` entity per message, and `unsupported_language` for another language."""

from __future__ import annotations

from typing import Any, Dict, Optional

from rasa.shared.nlu.constants import ENTITIES, INTENT, METADATA, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.rasa_server.nlu.language_detector import LanguageDetector
from bot.rasa_server.nlu.language_scorers import default_scorer

DETECTOR = LanguageDetector(default_scorer())


def parsed(text: str, metadata: Optional[Dict[str, Any]] = None, intent: str = "track_order") -> Message:
    message = Message(data={TEXT: text, METADATA: metadata or {}})
    message.set(INTENT, {"name": intent, "confidence": 0.9})
    (message,) = DETECTOR.process([message])
    return message


def language_entity(message: Message) -> Optional[str]:
    values = [entity["value"] for entity in message.get(ENTITIES) or [] if entity["entity"] == "language"]
    assert len(values) <= 1
    return values[0] if values else None


def test_a_french_question_gets_the_french_entity_and_keeps_its_intent() -> None:
    message = parsed("bonjour, je voudrais savoir où en est ma commande")
    assert language_entity(message) == "fr"
    assert message.get(INTENT)["name"] == "track_order"


def test_the_widgets_language_decides_a_short_message() -> None:
    assert language_entity(parsed("ORD-100001", {"language": "de"})) == "de"
    assert language_entity(parsed("ORD-100001")) is None


def test_a_message_in_another_language_is_flagged_for_the_polite_answer() -> None:
    message = parsed("buongiorno, vorrei sapere dove si trova il mio ordine")
    assert language_entity(message) == "it"
    assert message.get(INTENT) == {"name": "unsupported_language", "confidence": 1.0}
    assert [entry["name"] for entry in message.get("intent_ranking")] == ["unsupported_language"]


def test_other_entities_are_kept() -> None:
    message = Message(data={TEXT: "wo ist meine Bestellung ORD-100001 bitte"})
    message.set(ENTITIES, [{"entity": "order_number", "value": "ORD-100001", "start": 24, "end": 34}])
    (message,) = DETECTOR.process([message])
    assert [entity["entity"] for entity in message.get(ENTITIES)] == ["order_number", "language"]
