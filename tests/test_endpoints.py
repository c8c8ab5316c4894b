"""Each endpoints file the project ships makes Rasa send the domain only with the calls of actions that read it."""

from __future__ import annotations

import pytest

from bot.shared.settings import PROJECT_ROOT, Settings

ENDPOINTS_FILES = ("endpoints.yml", "endpoints.scaled.yml")


@pytest.mark.parametrize("file_name", ENDPOINTS_FILES)
def test_action_calls_carry_the_domain_only_for_the_actions_marked(
    file_name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import read_endpoint_config

    for key, value in Settings.from_env({}).rasa_environment().items():
        monkeypatch.setenv(key, value)
    endpoint = read_endpoint_config(str(PROJECT_ROOT / file_name), "action_endpoint")
    domain = Domain.load(str(PROJECT_ROOT / "domain.yml"))
    tracker = DialogueStateTracker("customer", domain.slots)

    def sends_domain(action_name: str) -> bool:
        return "domain" in RemoteAction(action_name, endpoint)._action_call_format(tracker, domain)

    assert not sends_domain("action_show_order_status")
    assert sends_domain("action_session_start")
    # the form validators know their forms' slots without it (actions/form_validator.py)
    assert domain.form_names
    assert not any(sends_domain(f"validate_{form}") for form in domain.form_names)
