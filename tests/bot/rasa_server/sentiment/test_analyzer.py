"""Moods read from customer messages."""

from __future__ import annotations

import pytest

from bot.rasa_server.sentiment.analyzer import Mood, SentimentAnalyzer


@pytest.fixture(scope="module")
def analyzer() -> SentimentAnalyzer:
    return SentimentAnalyzer()


@pytest.mark.parametrize(
    "text, mood",
    [
        ("where is my order ORD-100123?", Mood.CALM),
        ("thanks, that was quick", Mood.CALM),
        ("stupid me, I ordered the wrong size :)", Mood.CALM),
        ("", Mood.CALM),
        ("This is the worst service ever, I am furious and disgusted", Mood.STRONGLY_NEGATIVE),
        ("you are useless idiots", Mood.ABUSIVE),
        ("this is bullshit", Mood.ABUSIVE),
        ("shut up and give me a human", Mood.ABUSIVE),
    ],
)
def test_moods(analyzer: SentimentAnalyzer, text: str, mood: Mood) -> None:
    assert analyzer.read(text).mood is mood


def test_the_threshold_decides_what_counts_as_strongly_negative() -> None:
    text = "I am quite disappointed with the delay"
    strict, lenient = SentimentAnalyzer(negative_threshold=-0.2), SentimentAnalyzer(negative_threshold=-0.95)
    assert strict.read(text).mood is Mood.STRONGLY_NEGATIVE
    assert lenient.read(text).mood is Mood.CALM
    assert strict.read(text).compound == lenient.read(text).compound < 0
