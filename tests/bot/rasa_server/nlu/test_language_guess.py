"""A sure detection names the language, the widget's hint decides short messages, and nothing else does."""

from __future__ import annotations

from typing import Dict, List, Sequence, Tuple

import pytest

from bot.rasa_server.nlu.language_guess import guess_language, normalise_hint, words_of
from bot.rasa_server.nlu.language_scorers import default_scorer


class FixedScorer:
    """Scores every text alike, and remembers what it was asked to score."""

    def __init__(self, scores: Dict[str, float]) -> None:
        self.scores = scores
        self.asked: List[str] = []

    def rank(self, text: str) -> Sequence[Tuple[str, float]]:
        self.asked.append(text)
        return list(self.scores.items())


def test_a_sure_detection_wins_over_the_widgets_hint() -> None:
    guess = guess_language("quiero devolver mi pedido", FixedScorer({"es": 0.97, "pt": 0.03}), hint="en")
    assert (guess.language, guess.detected) == ("es", True)


def test_a_one_word_message_takes_the_hint() -> None:
    guess = guess_language("gracias", FixedScorer({"es": 0.99, "pt": 0.01}), hint="fr-CA")
    assert (guess.language, guess.detected) == ("fr", False)


def test_an_unsure_message_without_a_hint_keeps_the_conversations_language() -> None:
    assert guess_language("ok then", FixedScorer({"en": 0.5, "de": 0.5})).language is None


def test_another_language_needs_four_words_and_near_certainty() -> None:
    italian = FixedScorer({"it": 0.999, "es": 0.001})
    assert guess_language("dove il mio ordine", italian).language == "it"
    assert not guess_language("dove il mio ordine", italian).supported
    assert guess_language("il mio ordine", italian).language is None
    # Not sure enough to decline, and the four languages hold too little to pick one of them.
    assert guess_language("dove il mio ordine", FixedScorer({"it": 0.9, "es": 0.1})).language is None
    # Among the supported languages alone the detector is sure it is Spanish, and they hold most: that counts.
    assert guess_language("donde esta mi pedido", FixedScorer({"es": 0.8, "pt": 0.2})).language == "es"


def test_order_numbers_emails_and_amounts_are_not_words() -> None:
    scorer = FixedScorer({"de": 0.99, "en": 0.01})
    assert words_of("ORD-100001 maria.keller@example.com 45,50€ #7 wo ist es") == ["wo", "ist", "es"]
    guess_language("ORD-100001 maria.keller@example.com", scorer, hint="es")
    assert scorer.asked == []


@pytest.mark.parametrize(("hint", "code"), [("es", "es"), ("ES", "es"), ("de_AT", "de"), ("it", None), (7, None)])
def test_hints_are_iso_codes_of_the_four_languages(hint: object, code: object) -> None:
    assert normalise_hint(hint) == code


@pytest.fixture(scope="module")
def detector():
    return default_scorer()


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("I would like to know where my parcel is", "en"),
        ("quiero saber dónde está mi paquete, por favor", "es"),
        ("je voudrais savoir où est mon colis, s'il vous plaît", "fr"),
        ("ich möchte wissen, wo mein Paket gerade ist", "de"),
        ("vorrei sapere dove si trova il mio pacco, per favore", "it"),
        ("olá, gostaria de saber onde está a minha encomenda, ainda não chegou", "pt"),
    ],
)
def test_the_detectors_name_sentences_in_each_language(detector, text: str, language: str) -> None:
    assert guess_language(text, detector).language == language


def test_the_detectors_leave_a_lone_greeting_to_the_hint(detector) -> None:
    assert guess_language("ok", detector, hint="de").language == "de"
    assert guess_language("ok", detector).language is None
