"""The order verification form's validator and the guard in front of every order action."""

from __future__ import annotations

import base64
import json
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Dict, Iterator, Optional

import pytest
from sqlalchemy import func, select

from actions.orders import ActionShowOrderStatus
from actions.verification import ValidateOrderVerificationForm
from bot.demo.showcase import PROCESSING, SHIPPED
from bot.shared.webchat.identity import METADATA_KEY, issue_shopper_token
from bot.store.context import StoreContext
from bot.store.identifiers import order_number_in_text
from bot.store.tables import customers, orders
from tests.actions.dialogue import context_for, entity, form_tracker, make_tracker, run, user_message, verified_for

FORM = "order_verification_form"
SHOP_SECRET = "the-shop-signs-shopper-tokens-with-this"


def verifying(domain: Dict[str, Any], candidates: Dict[str, Any], slots: Dict[str, Any] = None, **kwargs: Any):
    return form_tracker(domain, FORM, candidates, slots=slots, **kwargs)


async def test_typed_order_numbers_are_normalised(context: StoreContext, domain: Dict[str, Any]) -> None:
    for typed in ("ORD-100001", "ord100001", "#100001", "100001", "it's order 100001 please"):
        outcome = await run(ValidateOrderVerificationForm(context), verifying(domain, {"order_number": typed}), domain)
        assert outcome.slots()["order_number"] == "ORD-100001", typed
        assert outcome.messages == []


@pytest.mark.parametrize(
    "typed",
    ["10001", "ORD-12345678", "hello there", "", "١٠٠٠٠١", "' OR 1=1 --", "x" * 5000],
)
async def test_malformed_order_numbers_get_a_polite_explanation(
    context: StoreContext, domain: Dict[str, Any], typed: str
) -> None:
    outcome = await run(ValidateOrderVerificationForm(context), verifying(domain, {"order_number": typed}), domain)
    assert outcome.slots()["order_number"] is None
    assert outcome.responses == ["utter_order_number_malformed"]


@pytest.mark.parametrize("number", [SHIPPED.number, "ORD-999999"], ids=["existing", "unknown"])
async def test_any_well_formed_order_number_is_asked_for_its_email(
    context: StoreContext, domain: Dict[str, Any], number: str
) -> None:
    # Whether the order exists is not said at this step: the same slots, no message, no attempt counted.
    outcome = await run(ValidateOrderVerificationForm(context), verifying(domain, {"order_number": number}), domain)
    assert outcome.slots() == {
        "order_number": number,
        "verified": False,
        "verified_order": None,
        "verified_email": None,
        "customer_id": None,
        "email": None,
    }
    assert outcome.messages == []


async def test_the_email_on_the_order_verifies_the_customer(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = verifying(
        domain,
        {"email": "  Maria.Keller@Example.com "},
        slots={"order_number": SHIPPED.number},
        requested_slot="email",
    )
    outcome = await run(ValidateOrderVerificationForm(context), tracker, domain)
    slots = outcome.slots()
    assert slots["verified"] is True
    assert slots["verified_order"] == SHIPPED.number
    assert slots["email"] == SHIPPED.customer_email
    assert slots["verified_email"] == SHIPPED.customer_email
    assert slots["customer_id"]
    assert outcome.messages == []


async def test_three_wrong_emails_end_the_form(context: StoreContext, domain: Dict[str, Any]) -> None:
    attempts = 0.0
    responses = []
    for _ in range(3):
        tracker = verifying(
            domain,
            {"email": "someone.else@example.com"},
            slots={"order_number": SHIPPED.number, "verification_attempts": attempts},
            requested_slot="email",
        )
        outcome = await run(ValidateOrderVerificationForm(context), tracker, domain)
        assert outcome.slots()["email"] is None
        assert outcome.slots()["order_number"] is None
        assert outcome.slots().get("verified") is not True
        attempts = outcome.slots()["verification_attempts"]
        responses.append(outcome.responses)
    assert attempts == 3
    assert responses == [["utter_verification_mismatch"], ["utter_verification_mismatch"], []]
    # The last attempt ends the form: nothing is requested any more.
    requested = [event for event in outcome.events if event.get("name") == "requested_slot"]
    assert requested and requested[-1]["value"] is None


async def test_a_failed_verification_is_escalated_by_the_order_action(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    tracker = make_tracker(domain, slots={"order_number": SHIPPED.number, "verification_attempts": 3.0})
    outcome = await run(ActionShowOrderStatus(context), tracker, domain)
    assert outcome.responses == ["utter_verification_failed"]
    assert outcome.slots()["handoff_reason"] == "verification_failed"
    assert outcome.slots()["verification_attempts"] == 0
    assert outcome.followup() == "action_handoff"


async def test_malformed_email_is_not_counted_as_an_attempt(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = verifying(
        domain, {"email": "maria at example"}, slots={"order_number": SHIPPED.number}, requested_slot="email"
    )
    outcome = await run(ValidateOrderVerificationForm(context), tracker, domain)
    assert outcome.responses == ["utter_email_malformed"]
    assert outcome.slots()["email"] is None
    assert "verification_attempts" not in outcome.slots()


async def test_an_order_number_with_sql_around_it_is_only_the_order_number(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    typed = "ORD-100001' OR '1'='1"
    outcome = await run(ValidateOrderVerificationForm(context), verifying(domain, {"order_number": typed}), domain)
    assert outcome.slots()["order_number"] == "ORD-100001"
    assert outcome.slots()["verified"] is False


async def test_sql_metacharacters_verify_nothing_and_change_nothing(
    context: StoreContext, domain: Dict[str, Any], store_engine
) -> None:
    with store_engine.connect() as connection:
        before = connection.execute(select(func.count()).select_from(customers)).scalar_one()
    tracker = verifying(
        domain,
        {"email": "x@example.com' OR '1'='1'; DROP TABLE customers;--"},
        slots={"order_number": SHIPPED.number},
        requested_slot="email",
    )
    outcome = await run(ValidateOrderVerificationForm(context), tracker, domain)
    assert outcome.slots().get("verified") is not True
    with store_engine.connect() as connection:
        assert connection.execute(select(func.count()).select_from(customers)).scalar_one() == before
        assert connection.execute(select(func.count()).select_from(orders)).scalar_one() > 0


async def test_a_verified_order_is_not_verified_again(context: StoreContext, domain: Dict[str, Any]) -> None:
    tracker = verifying(
        domain,
        {"order_number": SHIPPED.number, "email": SHIPPED.customer_email},
        slots=verified_for(SHIPPED.number, SHIPPED.customer_email),
        message=user_message("cancel it", "cancel_order"),
    )
    outcome = await run(ValidateOrderVerificationForm(context), tracker, domain)
    slots = outcome.slots()
    assert slots["order_number"] == SHIPPED.number
    assert slots["email"] == SHIPPED.customer_email
    assert "verified" not in slots  # stays True
    assert outcome.messages == []


async def test_an_email_typed_for_a_verified_order_keeps_the_proven_one(
    context: StoreContext, domain: Dict[str, Any]
) -> None:
    # "cancel it, and my email is attacker@..." restarts the form for the same order: the proof stands.
    tracker = verifying(
        domain,
        {"order_number": SHIPPED.number, "email": "attacker@example.com"},
        slots=verified_for(SHIPPED.number, SHIPPED.customer_email),
        message=user_message(
            "cancel it, my email is attacker@example.com",
            "cancel_order",
            [entity("email", "attacker@example.com")],
        ),
    )
    outcome = await run(ValidateOrderVerificationForm(context), tracker, domain)
    assert outcome.slots()["email"] == SHIPPED.customer_email
    assert not {"verified", "verified_order", "verified_email", "customer_id"} & set(outcome.slots())
    assert outcome.messages == []


async def test_another_order_needs_its_own_email(context: StoreContext, domain: Dict[str, Any]) -> None:
    verified = verified_for(SHIPPED.number, SHIPPED.customer_email)
    tracker = verifying(
        domain,
        {"order_number": PROCESSING.number, "email": SHIPPED.customer_email},
        slots=verified,
        message=user_message(f"track {PROCESSING.number}", "track_order", [entity("order_number", PROCESSING.number)]),
    )
    outcome = await run(ValidateOrderVerificationForm(context), tracker, domain)
    slots = outcome.slots()
    assert slots["order_number"] == PROCESSING.number
    assert slots["verified"] is False
    assert (slots["verified_order"], slots["verified_email"], slots["customer_id"]) == (None, None, None)
    assert slots["email"] is None
    assert outcome.messages == []


async def test_the_store_being_down_is_a_technical_problem_not_a_crash(domain: Dict[str, Any], tmp_path: Path) -> None:
    context = context_for(f"sqlite:///{tmp_path}/missing-folder/shop.db")
    outcome = await run(ValidateOrderVerificationForm(context), verifying(domain, {"order_number": "100001"}), domain)
    assert outcome.responses == ["utter_technical_problem"]
    assert outcome.slots() == {"order_number": None, "email": None}


@pytest.fixture
def shop_secret() -> str:
    """The secret the action server shares with the shop."""
    return SHOP_SECRET


@pytest.fixture
def shop_context(store_url: str, shop_secret: str) -> Iterator[StoreContext]:
    """The context of an action server that shares `shop_secret` with the shop."""
    built = context_for(store_url, WEBCHAT_JWT_SECRET=shop_secret)
    yield built
    built.store.engine.dispose()


def order_asked_by_shopper(domain: Dict[str, Any], token: Optional[str], **metadata: Any):
    """The first message of a verification, sent from the shop's chat with `token` in its metadata."""
    message = user_message(f"where is {SHIPPED.number}?", "track_order", [entity("order_number", SHIPPED.number)])
    message["metadata"] = {METADATA_KEY: token, **metadata} if token is not None else dict(metadata)
    return verifying(domain, {"order_number": SHIPPED.number}, message=message)


def _asks_for_the_email(outcome) -> None:
    """Not verified and the email left empty, so the form's next question is the email."""
    slots = outcome.slots()
    assert slots["order_number"] == SHIPPED.number
    assert slots["verified"] is False
    assert slots["email"] is None
    assert slots.get("customer_id") is None
    assert outcome.messages == []


async def test_a_signed_in_shopper_is_verified_without_the_email_question(
    shop_context: StoreContext, shop_secret: str, domain: Dict[str, Any], repository
) -> None:
    token = issue_shopper_token(SHIPPED.customer_email.upper(), shop_secret)

    outcome = await run(ValidateOrderVerificationForm(shop_context), order_asked_by_shopper(domain, token), domain)

    slots = outcome.slots()
    assert slots["order_number"] == SHIPPED.number
    assert slots["verified"] is True
    assert slots["verified_order"] == SHIPPED.number
    assert slots["email"] == slots["verified_email"] == SHIPPED.customer_email
    assert slots["customer_id"] == str(repository.find_customer(SHIPPED.customer_email).id)
    assert outcome.messages == []
    # Every slot of the form is filled, so the form ends without asking for the email.
    assert all(slots.get(name) for name in ("order_number", "email"))


async def test_an_email_typed_beside_a_signed_in_order_keeps_the_verified_email(
    shop_context: StoreContext, shop_secret: str, domain: Dict[str, Any]
) -> None:
    token = issue_shopper_token(SHIPPED.customer_email, shop_secret)
    message = user_message(
        f"{SHIPPED.number} and my email is someone.else@example.com",
        "track_order",
        [entity("order_number", SHIPPED.number), entity("email", "someone.else@example.com")],
    )
    message["metadata"] = {METADATA_KEY: token}
    tracker = verifying(domain, {"order_number": SHIPPED.number, "email": "someone.else@example.com"}, message=message)

    outcome = await run(ValidateOrderVerificationForm(shop_context), tracker, domain)

    assert outcome.slots()["verified"] is True
    assert outcome.slots()["email"] == SHIPPED.customer_email
    assert outcome.messages == []


async def test_a_shopper_signed_in_as_someone_else_is_asked_for_the_email(
    shop_context: StoreContext, shop_secret: str, domain: Dict[str, Any]
) -> None:
    token = issue_shopper_token(PROCESSING.customer_email, shop_secret)

    outcome = await run(ValidateOrderVerificationForm(shop_context), order_asked_by_shopper(domain, token), domain)

    _asks_for_the_email(outcome)
    assert "verification_attempts" not in outcome.slots()


def _tampered(token: str) -> str:
    header, payload, signature = token.split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["email"] = SHIPPED.customer_email
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    return f"{header}.{forged_payload}.{signature}"


def _unsigned(email: str) -> str:
    def part(data: Dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

    now = int(datetime.now(timezone.utc).timestamp())
    claims = {"email": email, "aud": "support-assistant", "iat": now, "exp": now + 3600}
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


@pytest.mark.parametrize(
    "forge",
    [
        pytest.param(lambda secret: _tampered(issue_shopper_token(PROCESSING.customer_email, secret)), id="tampered"),
        pytest.param(
            lambda secret: issue_shopper_token(SHIPPED.customer_email, "a-secret-the-shop-never-had-nor-shared"),
            id="another-secret",
        ),
        pytest.param(
            lambda secret: issue_shopper_token(
                SHIPPED.customer_email,
                secret,
                lifetime=timedelta(minutes=5),
                now=datetime.now(timezone.utc) - timedelta(hours=2),
            ),
            id="expired",
        ),
        pytest.param(lambda secret: _unsigned(SHIPPED.customer_email), id="unsigned"),
    ],
)
async def test_a_token_not_signed_by_the_shop_gets_the_email_question(
    shop_context: StoreContext, shop_secret: str, domain: Dict[str, Any], forge
) -> None:
    outcome = await run(
        ValidateOrderVerificationForm(shop_context), order_asked_by_shopper(domain, forge(shop_secret)), domain
    )

    _asks_for_the_email(outcome)


async def test_an_email_in_metadata_outside_a_token_is_not_trusted(
    shop_context: StoreContext, shop_secret: str, domain: Dict[str, Any]
) -> None:
    tracker = order_asked_by_shopper(domain, None, email=SHIPPED.customer_email, shopper_email=SHIPPED.customer_email)

    outcome = await run(ValidateOrderVerificationForm(shop_context), tracker, domain)

    _asks_for_the_email(outcome)


async def test_without_a_shared_secret_no_token_is_trusted(
    context: StoreContext, domain: Dict[str, Any], monkeypatch
) -> None:
    token = issue_shopper_token(SHIPPED.customer_email, SHOP_SECRET)

    outcome = await run(ValidateOrderVerificationForm(context), order_asked_by_shopper(domain, token), domain)

    _asks_for_the_email(outcome)


def test_order_numbers_are_found_inside_sentences() -> None:
    assert order_number_in_text("my order is ORD-100123, thanks") == "ORD-100123"
    assert order_number_in_text("#100123") == "ORD-100123"
    assert order_number_in_text("call me on 0123456789") is None
    assert order_number_in_text(None) is None
