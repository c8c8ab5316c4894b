"""The forms of the domain and the slots each requires, read once from domain.yml by the action server.

Rasa trains the model on the same file (`make train`), so the form validators can know their slots without
Rasa sending them the whole domain on every form turn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, List, Mapping, Tuple

import yaml

from bot.shared.settings import PROJECT_ROOT

DOMAIN_FILE = PROJECT_ROOT / "domain.yml"


class UnknownForm(KeyError):
    """A validator asked for the slots of a form the domain does not define."""


@dataclass(frozen=True)
class DomainForms:
    required_slots_by_form: Mapping[str, Tuple[str, ...]] = field(default_factory=dict)

    @classmethod
    def from_domain(cls, domain: Mapping[str, Any]) -> DomainForms:
        """From a domain as YAML or as Rasa's `Domain.as_dict()` has it (the `forms:` section)."""
        forms = domain.get("forms") or {}
        return cls({name: tuple((form or {}).get("required_slots") or ()) for name, form in forms.items()})

    @classmethod
    def from_file(cls, path: Path = DOMAIN_FILE) -> DomainForms:
        with path.open(encoding="utf-8") as file:
            domain = yaml.load(file, Loader=yaml.CSafeLoader)
        return cls.from_domain(domain or {})

    def required_slots(self, form: str) -> List[str]:
        """A new list each time: rasa-sdk's validators may extend the list they are given."""
        if form not in self.required_slots_by_form:
            raise UnknownForm(form)
        return list(self.required_slots_by_form[form])
