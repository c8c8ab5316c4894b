"""The shortened rule search finds exactly the rules Rasa's full search finds."""

from __future__ import annotations

import json
from typing import Any, Dict, List

from hypothesis import given, settings
from hypothesis import strategies as st
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.constants import SHOULD_NOT_BE_SET

from bot.rasa_server.policies import rule_lookup

ACTIONS = ("action_listen", "utter_greet", "action_order_status", "order_form")
INTENTS = ("greet", "order_status", "affirm", "deny")
SLOT_VALUES = (None, "ORD-100001", (1.0,), SHOULD_NOT_BE_SET)


def _state(previous: str, intent: str, slot: Any, with_previous: bool) -> Dict[str, Any]:
    state: Dict[str, Any] = {"user": {"intent": intent}}
    if with_previous:
        state["prev_action"] = {"action_name": previous}
    if slot is not None:
        state["slots"] = {"order_number": slot}
    return state


states = st.builds(
    _state, st.sampled_from(ACTIONS), st.sampled_from(INTENTS), st.sampled_from(SLOT_VALUES), st.booleans()
)


RASAS_SEARCH = RulePolicy._get_possible_keys


def _rasas_search(policy: RulePolicy, lookup: Dict[str, str], conversation: List[Any]) -> set:
    return RASAS_SEARCH(policy, lookup, conversation)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(
    rules=st.lists(st.lists(states, min_size=1, max_size=5), min_size=0, max_size=25),
    conversation=st.lists(states, min_size=0, max_size=15),
)
def test_the_same_rules_are_found(rules: List[List[Dict[str, Any]]], conversation: List[Dict[str, Any]]) -> None:
    policy = RulePolicy.__new__(RulePolicy)  # the search uses only the policy's static rule checks
    lookup = {json.dumps(rule, sort_keys=True): "utter_greet" for rule in rules}
    assert rule_lookup.possible_keys(policy, lookup, conversation) == _rasas_search(policy, lookup, conversation)


def test_installed_into_rasa(monkeypatch: Any) -> None:
    monkeypatch.setattr(RulePolicy, "_get_possible_keys", RulePolicy._get_possible_keys)
    rule_lookup.install()
    policy = RulePolicy.__new__(RulePolicy)
    rule = [_state("action_listen", "greet", None, True)]
    lookup = {json.dumps(rule): "utter_greet"}
    conversation = [_state("utter_greet", "deny", None, False), _state("action_listen", "greet", None, True)]
    assert policy._get_possible_keys(lookup, conversation) == set(lookup)
    assert policy._get_possible_keys(lookup, conversation[:1]) == set()
