"""Labels on conversations: normalised, each once, bounded in length and number."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine

from bot.service.handoff.errors import InvalidRequest
from bot.service.handoff.labels import MAX_LABEL_LENGTH, MAX_LABELS, LabelRepository, normalised_labels
from bot.service.handoff.queue_repository import HandoffQueue


def test_labels_are_lower_case_single_spaced_and_kept_once_in_order() -> None:
    assert normalised_labels(["  Refund  Delay ", "VIP", "refund delay", "", "   "]) == ["refund delay", "vip"]


def test_too_long_or_too_many_labels_are_refused() -> None:
    with pytest.raises(InvalidRequest):
        normalised_labels(["x" * (MAX_LABEL_LENGTH + 1)])
    with pytest.raises(InvalidRequest):
        normalised_labels([f"label {n}" for n in range(MAX_LABELS + 1)])


def test_setting_labels_replaces_them_and_they_are_read_back(engine: Engine) -> None:
    handoff, _ = HandoffQueue(engine).open_live("conv-l", "socketio", "customer_request", {})
    labels = LabelRepository(engine)
    assert labels.set_labels(handoff.id, ["Billing", "VIP"], None) == ["billing", "vip"]
    assert labels.set_labels(handoff.id, ["vip"], None) == ["vip"]
    assert labels.labels_of(handoff.id) == ["vip"]
    assert "vip" in labels.known_labels()
