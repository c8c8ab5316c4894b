"""The action server answers the Rasa server only: a forged action call gets nothing and changes nothing."""

from __future__ import annotations

import copy
import socket

import pytest
import requests

from tests.security.attacker import non_loopback_address, rows
from tests.support.forged_calls import FORGED_ORDER_STATUS_CALL
from tests.support.stack import Stack


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong-token"}, {"Authorization": "Basic x"}])
def test_a_forged_order_status_call_is_refused(running_stack: Stack, headers: dict) -> None:
    response = requests.post(
        f"{running_stack.action_server_url}/webhook", json=FORGED_ORDER_STATUS_CALL, headers=headers, timeout=30
    )
    assert response.status_code == 401
    assert "ORD-100001" not in response.text and "DHL" not in response.text


def test_a_forged_cancellation_changes_no_order(running_stack: Stack) -> None:
    before = rows(running_stack.database_url, "orders")
    call = copy.deepcopy(FORGED_ORDER_STATUS_CALL)
    call["next_action"] = "action_cancel_order"
    call["tracker"]["slots"].update({"order_number": "ORD-100002", "verified_order": "ORD-100002"})
    response = requests.post(f"{running_stack.action_server_url}/webhook", json=call, timeout=30)
    assert response.status_code == 401
    assert rows(running_stack.database_url, "orders") == before


def test_the_action_list_is_not_public(running_stack: Stack) -> None:
    assert requests.get(f"{running_stack.action_server_url}/actions", timeout=30).status_code == 401


def test_the_action_server_listens_on_loopback_only(running_stack: Stack) -> None:
    address = non_loopback_address()
    if address is None:
        pytest.skip("this machine has no non-loopback address to try the action server's port on")
    with socket.socket() as sock:
        sock.settimeout(3)
        assert sock.connect_ex((address, running_stack.settings.action_port)) != 0
