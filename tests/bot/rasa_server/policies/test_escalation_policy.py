"""EscalationPolicy on real trackers: when it hands over, and when it stays out of the way."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import pytest
from rasa.core.policies.ensemble import DefaultPolicyPredictionEnsemble
from rasa.core.policies.policy import PolicyPrediction
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    ConversationPaused,
    ConversationResumed,
    Event,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from bot.rasa_server.policies.escalation_policy import EscalationPolicy

DOMAIN = Domain.from_yaml(
    """
version: "3.1"
intents: [greet, order_status, nlu_fallback, EXTERNAL_handback, human_handoff]
slots:
  handoff_reason:
    type: text
    influence_conversation: false
    mappings: [{type: custom}]
responses:
  utter_greet: [{text: "Hi!"}]
actions: [action_handoff]
"""
)


@pytest.fixture
def policy(tmp_path: Path) -> EscalationPolicy:
    return EscalationPolicy.create(
        EscalationPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("escalation"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def _user(text: str, intent: str) -> List[Event]:
    return [
        UserUttered(text, {"name": intent, "confidence": 0.9}),
    ]


def _turn(text: str, intent: str, reply: Optional[str] = "utter_greet") -> List[Event]:
    events: List[Event] = [ActionExecuted("action_listen"), *_user(text, intent)]
    if reply:
        events += [ActionExecuted(reply), ActionExecuted("action_listen")]
    return events


def _tracker(*turns: List[Event]) -> DialogueStateTracker:
    events = [event for turn in turns for event in turn]
    return DialogueStateTracker.from_events("customer-1", events, slots=DOMAIN.slots)


def _predicted(prediction: PolicyPrediction) -> Optional[str]:
    if max(prediction.probabilities) == 0:
        return None
    return DOMAIN.action_names_or_texts[prediction.probabilities.index(max(prediction.probabilities))]


def _reason(prediction: PolicyPrediction) -> Optional[str]:
    slots = [event for event in prediction.optional_events if isinstance(event, SlotSet)]
    return slots[0].value if slots else None


def test_two_consecutive_fallbacks_escalate(policy: EscalationPolicy) -> None:
    tracker = _tracker(
        _turn("hello", "greet"),
        _turn("blorp the flux", "nlu_fallback"),
        _turn("zzzq wibble", "nlu_fallback", reply=None),
    )
    prediction = policy.predict_action_probabilities(tracker, DOMAIN)
    assert _predicted(prediction) == "action_handoff"
    assert _reason(prediction) == "repeated_fallback"
    assert prediction.policy_priority > RulePolicy.get_default_config()["priority"]


def test_a_single_fallback_or_interrupted_fallbacks_do_not(policy: EscalationPolicy) -> None:
    single = _tracker(_turn("hello", "greet"), _turn("blorp", "nlu_fallback", reply=None))
    interrupted = _tracker(
        _turn("blorp", "nlu_fallback"),
        _turn("where is my order", "order_status"),
        _turn("zzzq", "nlu_fallback", reply=None),
    )
    assert _predicted(policy.predict_action_probabilities(single, DOMAIN)) is None
    assert _predicted(policy.predict_action_probabilities(interrupted, DOMAIN)) is None


@pytest.mark.parametrize(
    "text, reason",
    [
        ("This is the worst service ever, I am furious and disgusted", "negative_sentiment"),
        ("my order arrived broken and I am very upset and angry", "negative_sentiment"),
        ("you are useless idiots", "abusive_language"),
        ("what a scam, you crooks", "abusive_language"),
    ],
)
def test_strongly_negative_or_abusive_messages_escalate(policy: EscalationPolicy, text: str, reason: str) -> None:
    prediction = policy.predict_action_probabilities(_tracker(_turn(text, "order_status", reply=None)), DOMAIN)
    assert _predicted(prediction) == "action_handoff"
    assert _reason(prediction) == reason


@pytest.mark.parametrize(
    "text",
    ["where is my order?", "thanks, that helps a lot", "cancel my order", "stupid me, I ordered the wrong size :)"],
)
def test_calm_messages_are_left_to_the_other_policies(policy: EscalationPolicy, text: str) -> None:
    prediction = policy.predict_action_probabilities(_tracker(_turn(text, "order_status", reply=None)), DOMAIN)
    assert _predicted(prediction) is None
    assert prediction.optional_events == []


def test_nothing_fires_while_paused_or_while_an_agent_has_the_chat(policy: EscalationPolicy) -> None:
    angry = _turn("you are useless idiots", "order_status", reply=None)
    paused = _tracker(_turn("human please", "human_handoff", reply="action_handoff"), [ConversationPaused()], angry)
    with_agent = _tracker(_turn("human please", "human_handoff", reply="action_handoff"), angry)
    handed_back = _tracker(
        _turn("human please", "human_handoff", reply="action_handoff"),
        [ConversationResumed()],
        _turn("/EXTERNAL_handback", "EXTERNAL_handback"),
        angry,
    )
    assert _predicted(policy.predict_action_probabilities(paused, DOMAIN)) is None
    assert _predicted(policy.predict_action_probabilities(with_agent, DOMAIN)) is None
    # once the agent handed the chat back, a new escalation is possible again
    assert _predicted(policy.predict_action_probabilities(handed_back, DOMAIN)) == "action_handoff"


def test_it_only_predicts_right_after_a_customer_message(policy: EscalationPolicy) -> None:
    mid_turn = _tracker(_turn("you are useless idiots", "order_status", reply=None), [ActionExecuted("utter_greet")])
    assert _predicted(policy.predict_action_probabilities(mid_turn, DOMAIN)) is None


def test_its_prediction_wins_the_ensemble_over_an_equally_sure_rule(policy: EscalationPolicy) -> None:
    tracker = _tracker(_turn("you are useless idiots", "order_status", reply=None))
    ours = policy.predict_action_probabilities(tracker, DOMAIN)
    rule_scores = [0.0] * DOMAIN.num_actions
    rule_scores[DOMAIN.index_for_action("utter_greet")] = 1.0
    rule = PolicyPrediction(rule_scores, "RulePolicy", RulePolicy.get_default_config()["priority"])
    ensemble = DefaultPolicyPredictionEnsemble.create(
        {}, LocalModelStorage(Path(".")), Resource("ensemble"), ExecutionContext(GraphSchema({}), "test")
    )
    best = ensemble.combine_predictions_from_kwargs(tracker, DOMAIN, rule=rule, escalation=ours)
    assert best.policy_name == "EscalationPolicy"
    assert any(isinstance(event, SlotSet) and event.value == "abusive_language" for event in best.events)
