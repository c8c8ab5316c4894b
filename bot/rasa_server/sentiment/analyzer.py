"""Reads a customer message: VADER's compound score and any abusive words it contains."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import FrozenSet, Optional, Tuple

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from bot.rasa_server.sentiment.abuse_lexicon import ABUSIVE_PHRASES, INSULTS, PROFANITY, TARGETS

_WORD = re.compile(r"[a-z']+")
DEFAULT_NEGATIVE_THRESHOLD = -0.7


class Mood(str, Enum):
    CALM = "calm"
    STRONGLY_NEGATIVE = "strongly_negative"
    ABUSIVE = "abusive"


@dataclass(frozen=True)
class SentimentReading:
    compound: float
    abusive_terms: Tuple[str, ...]
    mood: Mood


class SentimentAnalyzer:
    """Loads VADER's lexicon when built, so build it in a factory, never at import time."""

    def __init__(
        self,
        negative_threshold: float = DEFAULT_NEGATIVE_THRESHOLD,
        profanity: FrozenSet[str] = PROFANITY,
        insults: FrozenSet[str] = INSULTS,
        abusive_phrases: Tuple[str, ...] = ABUSIVE_PHRASES,
    ) -> None:
        self._vader = SentimentIntensityAnalyzer()
        self._negative_threshold = negative_threshold
        self._profanity = profanity
        self._insults = insults
        self._abusive_phrases = abusive_phrases

    def read(self, text: Optional[str]) -> SentimentReading:
        if not text or not text.strip():
            return SentimentReading(0.0, (), Mood.CALM)
        lowered = text.lower()
        words = _WORD.findall(lowered)
        swearing = {word for word in words if word in self._profanity}
        insults = {word for word in words if word in self._insults}
        phrases = {phrase for phrase in self._abusive_phrases if phrase in lowered}
        aimed = any(word in TARGETS for word in words)
        compound = float(self._vader.polarity_scores(text)["compound"])
        abusive = bool(
            phrases or (swearing and (compound < 0 or len(swearing) > 1)) or (insults and (aimed or len(insults) > 1))
        )
        terms = sorted(swearing | insults | phrases)
        if abusive:
            mood = Mood.ABUSIVE
        elif compound <= self._negative_threshold:
            mood = Mood.STRONGLY_NEGATIVE
        else:
            mood = Mood.CALM
        return SentimentReading(compound, tuple(terms), mood)
