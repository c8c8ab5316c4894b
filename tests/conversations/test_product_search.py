"""Product searches through the real stack in each language: up to three matches from the catalog, in that language."""

from __future__ import annotations

import uuid
from typing import List

import pytest

from tests.conversations.language_replies import is_reply
from tests.support.rest_chat import say
from tests.support.stack import Stack

# Under a ceiling the dearest in stock comes first; each line names the feature that matched.
HEADPHONES_UNDER_100 = [
    "1. Arcade Headset G5, €99.00 (7.1 surround sound)",
    "2. Aria Buds Mini, €59.00 (true wireless)",
]
SEARCHES = {
    "en": ("headphones under 100", HEADPHONES_UNDER_100),
    "es": ("auriculares por menos de 100 euros", HEADPHONES_UNDER_100),
    "fr": ("un portable avec 32 Go", ["1. Orbit 15 Pro, €1,699.00 (32 gb memory)"]),
    "de": ("Kopfhörer unter 100 Euro", HEADPHONES_UNDER_100),
}
CHEAPER = {
    "en": "something like the x200 but cheaper",
    "es": "algo como el x200 pero más barato",
    "fr": "quelque chose comme le x200 mais moins cher",
    "de": "so etwas wie der x200, aber günstiger",
}


def results_in(replies: List[str], language: str) -> str:
    found = [reply for reply in replies if is_reply(reply, "utter_product_search_results", language)]
    assert found, replies
    return found[0]


@pytest.mark.parametrize("language", sorted(SEARCHES))
def test_a_search_is_answered_from_the_catalog_in_the_language(running_stack: Stack, language: str) -> None:
    text, expected = SEARCHES[language]
    replies = say(running_stack, f"search-{language}-{uuid.uuid4().hex[:8]}", text, language)
    answer = results_in(replies, language)
    assert answer.splitlines()[1:] == expected, answer


@pytest.mark.parametrize("language", sorted(CHEAPER))
def test_like_the_x200_but_cheaper(running_stack: Stack, language: str) -> None:
    replies = say(running_stack, f"cheaper-{language}-{uuid.uuid4().hex[:8]}", CHEAPER[language], language)
    answer = results_in(replies, language)
    assert "Aria X200 Headphones" not in answer
    assert all(float(line.split("€")[1].split(" ")[0].replace(",", "")) < 149 for line in answer.splitlines()[1:])


def test_the_price_of_a_named_product_is_still_its_price(running_stack: Stack) -> None:
    replies = say(running_stack, f"price-{uuid.uuid4().hex[:8]}", "how much is the x200?", "en")
    assert any(is_reply(reply, "utter_product_price", "en") for reply in replies), replies


def test_nothing_found_offers_a_person_and_yes_hands_over(running_stack: Stack) -> None:
    sender = f"none-{uuid.uuid4().hex[:8]}"
    replies = say(running_stack, sender, "laptops under 300 euros", "en")
    assert any(is_reply(reply, "utter_product_search_closest", "en") for reply in replies), replies
    replies = say(running_stack, sender, "yes please", "en")
    handoffs = ("utter_handoff_queued", "utter_handoff_no_agents", "utter_handoff_closed", "utter_handoff_unavailable")
    assert any(is_reply(reply, name, "en") for reply in replies for name in handoffs), replies
