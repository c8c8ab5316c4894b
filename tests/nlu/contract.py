"""What the NLU data promises the rest of the assistant: intents, entities and how many examples each."""

from __future__ import annotations

from typing import FrozenSet

from bot.shared.settings import PROJECT_ROOT

TRAINING_DATA_DIR = PROJECT_ROOT / "data" / "nlu"
HOLDOUT_FILE = PROJECT_ROOT / "tests" / "nlu" / "holdout.yml"
# The evaluation sets written unlike the training data, one file per language (README.md): the development
# set (the former second set, seen and tuned on) and the fresh set (the final figures only).
DEVELOPMENT_SET_DIR = PROJECT_ROOT / "tests" / "nlu" / "eval"
FRESH_SET_DIR = PROJECT_ROOT / "tests" / "nlu" / "fresh"
LANGUAGE_SET_DIRS = {"development": DEVELOPMENT_SET_DIR, "fresh": FRESH_SET_DIR}
SET_LANGUAGES = ("en", "es", "fr", "de")
MIN_LANGUAGE_SET_EXAMPLES = 2

INTENTS: FrozenSet[str] = frozenset(
    {
        # orders
        "track_order",
        "cancel_order",
        "change_order",
        "place_order",
        # shipping
        "delivery_options",
        "delivery_period",
        "change_shipping_address",
        "set_up_shipping_address",
        # refunds and returns
        "refund_policy",
        "request_refund",
        "track_refund",
        # billing
        "check_invoice",
        "get_invoice",
        "payment_methods",
        "payment_issue",
        "cancellation_fee",
        # account
        "create_account",
        "delete_account",
        "edit_account",
        "recover_password",
        "registration_problems",
        "switch_account",
        # products
        "product_info",
        "product_price",
        "product_availability",
        "product_search",
        # feedback and contact
        "complaint",
        "leave_review",
        "contact_customer_service",
        "human_handoff",
        "newsletter_subscription",
        # conversation
        "greet",
        "goodbye",
        "thank",
        "affirm",
        "deny",
        "bot_challenge",
        "out_of_scope",
        "inform",
        "rate",
        "stop",
    }
)

ENTITIES: FrozenSet[str] = frozenset({"order_number", "product", "email", "rating"})

MIN_TRAINING_EXAMPLES = 40
MIN_OUT_OF_SCOPE_TRAINING_EXAMPLES = 80
MIN_HOLDOUT_EXAMPLES = 12

RATING_VALUES: FrozenSet[str] = frozenset({"1", "2", "3", "4", "5"})


def normalise(text: str) -> str:
    """Case and spacing do not make two customer messages different."""
    return " ".join(text.lower().split())


def minimum_training_examples(intent: str) -> int:
    if intent == "out_of_scope":
        return MIN_OUT_OF_SCOPE_TRAINING_EXAMPLES
    return MIN_TRAINING_EXAMPLES
