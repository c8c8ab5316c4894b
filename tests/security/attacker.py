"""What an attacker without credentials can reach, and snapshots to prove that nothing changed."""

from __future__ import annotations

import sqlite3
import subprocess
from typing import Any, Dict, List, Optional, Tuple

import requests

from tests.support.stack import Stack


def sqlite_path(database_url: str) -> str:
    assert database_url.startswith("sqlite:///"), "the stack under test keeps its store in SQLite"
    return database_url[len("sqlite:///") :]


def rows(database_url: str, table: str) -> List[Tuple[Any, ...]]:
    with sqlite3.connect(sqlite_path(database_url)) as connection:
        return connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()  # noqa: S608 - fixed names


def tracker(stack: Stack, conversation_id: str) -> Dict[str, Any]:
    response = requests.get(stack.tracker_url(conversation_id), headers=stack.rasa_api_headers, timeout=30)
    response.raise_for_status()
    return response.json()


def user_texts(stack: Stack, conversation_id: str) -> List[str]:
    return [event.get("text") for event in tracker(stack, conversation_id)["events"] if event.get("event") == "user"]


def rest_say(stack: Stack, sender: str, text: str, headers: Optional[Dict[str, str]] = None) -> requests.Response:
    return requests.post(
        f"{stack.rasa_url}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        headers=stack.rest_headers if headers is None else headers,
        timeout=60,
    )


def non_loopback_address() -> Optional[str]:
    """An address of this machine that other machines could reach, if it has one."""
    try:
        output = subprocess.run(["hostname", "-I"], capture_output=True, text=True, timeout=5).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    for address in output.split():
        if "." in address and not address.startswith("127."):
            return address
    return None
