"""The forms the action server reads are those Rasa reads from domain.yml and those of the trained model."""

from __future__ import annotations

import tarfile

import pytest
import yaml
from rasa.shared.core.domain import Domain

from bot.shared.domain_forms import DOMAIN_FILE, DomainForms, UnknownForm
from tests.support.stack import MODEL

# where `rasa train` keeps the domain it trained on inside the model archive (rasa/graph_components/providers)
MODEL_DOMAIN_MEMBER = "components/domain_provider/domain.yml"


def test_the_forms_are_those_rasa_reads_from_the_domain_file() -> None:
    forms = DomainForms.from_file()
    assert forms == DomainForms.from_domain(Domain.load(str(DOMAIN_FILE)).as_dict())
    assert forms.required_slots("order_verification_form") == ["order_number", "email"]


def test_the_forms_are_those_the_model_was_trained_with() -> None:
    """Fails when domain.yml changed since `make train`: the Rasa server would run other forms."""
    with tarfile.open(MODEL) as archive:
        member = archive.extractfile(MODEL_DOMAIN_MEMBER)
        assert member is not None
        trained = yaml.safe_load(member)
    assert DomainForms.from_file() == DomainForms.from_domain(trained)


def test_each_caller_gets_its_own_list() -> None:
    forms = DomainForms({"complaint_form": ("complaint_text",)})
    forms.required_slots("complaint_form").append("extra")
    assert forms.required_slots("complaint_form") == ["complaint_text"]


def test_a_form_the_domain_lacks_is_unknown() -> None:
    with pytest.raises(UnknownForm):
        DomainForms.from_domain({"forms": {"complaint_form": {"required_slots": ["complaint_text"]}}}).required_slots(
            "shipping_address_form"
        )
