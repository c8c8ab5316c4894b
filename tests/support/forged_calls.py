"""Requests an attacker would forge, shared by the unit tests and the attacker suite."""

from __future__ import annotations

from typing import Any, Dict

# The request that, before the trust boundary, made the action server reveal an order.
FORGED_ORDER_STATUS_CALL: Dict[str, Any] = {
    "next_action": "action_show_order_status",
    "sender_id": "attacker",
    "version": "3.6.21",
    "domain": {},
    "tracker": {
        "sender_id": "attacker",
        "slots": {"verified": True, "order_number": "ORD-100001", "verified_order": "ORD-100001"},
        "latest_message": {"text": "status", "intent": {"name": "track_order"}, "entities": []},
        "latest_event_time": 0,
        "paused": False,
        "events": [],
        "latest_input_channel": "rest",
        "active_loop": {},
        "latest_action_name": "action_listen",
    },
}
