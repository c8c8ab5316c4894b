"""The base of the form validators: the form's slots come from the domain the action server read at start-up."""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import List, Text

from rasa_sdk.forms import FormValidationAction
from rasa_sdk.types import DomainDict

from bot.store.context import UsesStoreContext


class FormValidator(UsesStoreContext, FormValidationAction, ABC):
    """rasa-sdk's FormValidationAction, never reading the domain of the call (domain.yml: `send_domain: false`).

    rasa-sdk reads nothing else of the domain: the slots to validate come from the tracker's events.
    """

    @abstractmethod
    def name(self) -> Text: ...

    def domain_slots(self, domain: DomainDict) -> List[Text]:
        return self.context.forms.required_slots(self.form_name())
