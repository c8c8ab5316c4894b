"""Checks of the NLU components' settings: a bad value stops training with the component and key named."""

from __future__ import annotations

from typing import Any, Dict, Iterable, Text

from rasa.shared.exceptions import InvalidConfigException


def require_positive_numbers(component: str, config: Dict[Text, Any], keys: Iterable[str]) -> None:
    for key in keys:
        value = config.get(key)
        # bool is an int to Python, but `C: true` in config.yml is a mistake, not a 1.
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
            raise InvalidConfigException(f"{component}: '{key}' must be a positive number, got {value!r}.")


def require_positive_integers(component: str, config: Dict[Text, Any], keys: Iterable[str]) -> None:
    for key in keys:
        value = config.get(key)
        if not isinstance(value, int) or value < 1:
            raise InvalidConfigException(f"{component}: '{key}' must be a positive integer, got {value!r}.")
