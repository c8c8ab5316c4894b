"""Which language one customer message is written in, from a detector's scores and the widget's hint."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Optional, Protocol, Sequence, Tuple

from bot.shared.languages import SUPPORTED_LANGUAGES

# Languages a customer of a European shop may plausibly write in: the detector chooses among these
# only, because a wider set turns short messages into guesses between look-alike languages.
CANDIDATE_LANGUAGES: Tuple[str, ...] = SUPPORTED_LANGUAGES + ("it", "pt", "nl", "pl", "sv", "da", "tr")

# Order numbers, e-mail addresses, amounts and the like say nothing about the language. A token with one of
# these characters is dropped whole; looking for it per whitespace-separated token keeps the work linear
# (a pattern that scans each token from every start backtracks quadratically on a long unbroken run).
_MARKS_A_NON_WORD = re.compile(r"[\d@/_#]")
_WORD = re.compile(r"[^\W\d_]+")


class LanguageScorer(Protocol):
    """Ranks the candidate languages for a text with probabilities (language_scorers.py)."""

    def rank(self, text: str) -> Sequence[Tuple[str, float]]: ...


@dataclass(frozen=True)
class LanguageRules:
    """How sure the detector must be before its guess beats the widget's hint and the conversation so far."""

    # A supported language wins from two words on when the detector is this sure among all candidates...
    supported_confidence: float = 0.9
    supported_min_words: int = 2
    # ...or from three words on when it is this sure among the four supported languages alone.
    among_supported_confidence: float = 0.97
    among_supported_min_words: int = 3
    # ...provided the four hold at least this share of the scores (else an Italian message would be "sure"
    # Spanish once the Italian score is set aside).
    among_supported_min_share: float = 0.5
    # Telling a customer "I don't speak your language" is costly when wrong, so it needs much more.
    unsupported_confidence: float = 0.995
    unsupported_min_words: int = 4


@dataclass(frozen=True)
class LanguageGuess:
    """The language to answer in (None: keep the conversation's) and whether the message itself said so."""

    language: Optional[str]
    detected: bool

    @property
    def supported(self) -> bool:
        return self.language is None or self.language in SUPPORTED_LANGUAGES


def words_of(text: str) -> list[str]:
    kept = (token for token in text.split() if not _MARKS_A_NON_WORD.search(token))
    return _WORD.findall(" ".join(kept))


def normalise_hint(hint: object) -> Optional[str]:
    """The widget sends an ISO 639-1 code; "es-MX" and "ES" count as "es", anything unsupported as nothing."""
    if not isinstance(hint, str):
        return None
    primary = hint.strip().lower().replace("_", "-").split("-")[0]
    return primary if primary in SUPPORTED_LANGUAGES else None


def _best(ranking: Sequence[Tuple[str, float]], among: Tuple[str, ...]) -> Tuple[Optional[str], float]:
    scores = [(language, float(score)) for language, score in ranking if language in among]
    total = sum(score for _, score in scores)
    if not scores or total <= 0:
        return None, 0.0
    language, score = max(scores, key=lambda pair: pair[1])
    return language, score / total


def _sure(language: Optional[str], confidence: float, words: int, rules: LanguageRules) -> bool:
    if language is None:
        return False
    if language in SUPPORTED_LANGUAGES:
        return confidence >= rules.supported_confidence and words >= rules.supported_min_words
    return confidence >= rules.unsupported_confidence and words >= rules.unsupported_min_words


def guess_language(
    text: str, scorer: LanguageScorer, hint: object = None, rules: LanguageRules = LanguageRules()
) -> LanguageGuess:
    """A sure detection first, then the widget's hint, then nothing (the conversation keeps its language)."""
    words = words_of(text)
    if words:
        ranking = scorer.rank(" ".join(words))
        language, confidence = _best(ranking, CANDIDATE_LANGUAGES)
        if _sure(language, confidence, len(words), rules):
            return LanguageGuess(language, detected=True)
        language, confidence = _best(ranking, SUPPORTED_LANGUAGES)
        share = sum(score for code, score in ranking if code in SUPPORTED_LANGUAGES) / max(
            sum(score for _, score in ranking), 1e-12
        )
        if (
            confidence >= rules.among_supported_confidence
            and len(words) >= rules.among_supported_min_words
            and share >= rules.among_supported_min_share
        ):
            return LanguageGuess(language, detected=True)
    return LanguageGuess(normalise_hint(hint), detected=False)
