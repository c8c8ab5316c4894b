"""What of the domain Rasa sends each custom action: with `enable_selective_domain`, all or nothing."""

from __future__ import annotations

import functools
from typing import Any, Dict, FrozenSet

from rasa.shared.core.domain import Domain

from bot.shared.settings import PROJECT_ROOT


@functools.lru_cache(maxsize=1)
def _rasa_domain() -> Domain:
    return Domain.load(str(PROJECT_ROOT / "domain.yml"))


def custom_action_names() -> FrozenSet[str]:
    """The actions domain.yml lists for the action server, with or without their `send_domain` mark."""
    return frozenset(name for name in _rasa_domain().user_actions if name.startswith(("action_", "validate_")))


def gets_the_domain(action_name: str) -> bool:
    """Rasa's own rule: marked `send_domain: true`, or a `validate_*` action listed without options."""
    return _rasa_domain().does_custom_action_explicitly_need_domain(action_name)


def domain_as_sent(action_name: str, domain: Dict[str, Any]) -> Dict[str, Any]:
    """The domain as the action server receives it: rasa-sdk hands an action `{}` when the call has none."""
    return domain if gets_the_domain(action_name) else {}
