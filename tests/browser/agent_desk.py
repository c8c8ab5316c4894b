"""A support agent working through the agent API, for browser tests where the agent is not the subject."""

from __future__ import annotations

import time
from typing import Any, Dict

import requests


class AgentDesk:
    def __init__(self, service_url: str, username: str, password: str) -> None:
        self.service_url = service_url
        login = requests.post(
            f"{service_url}/api/agents/login", json={"username": username, "password": password}, timeout=30
        )
        login.raise_for_status()
        self.headers = {"Authorization": f"Bearer {login.json()['token']}"}

    def go_online(self) -> None:
        self._post("/api/agents/me/status", {"status": "online"}).raise_for_status()

    def wait_for_handoff(self, conversation_id: str, timeout: float = 60) -> Dict[str, Any]:
        """The waiting handoff of a conversation; escalation happens in the background of a reply."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            response = requests.get(
                f"{self.service_url}/api/handoffs", params={"status": "waiting"}, headers=self.headers, timeout=30
            )
            response.raise_for_status()
            for handoff in response.json()["handoffs"]:
                if handoff["conversation_id"] == conversation_id:
                    return handoff
            time.sleep(0.2)
        raise AssertionError(f"no handoff was opened for {conversation_id}")

    def claim(self, handoff_id: int) -> None:
        response = self._post(f"/api/handoffs/{handoff_id}/claim", None)
        assert response.status_code == 200, response.text

    def reply(self, handoff_id: int, text: str) -> None:
        response = self._post(f"/api/handoffs/{handoff_id}/messages", {"text": text})
        assert response.status_code == 201, response.text

    def hand_back(self, handoff_id: int) -> None:
        response = self._post(f"/api/handoffs/{handoff_id}/close", {"outcome": "back_to_bot"})
        assert response.status_code == 200, response.text

    def _post(self, path: str, body: Any) -> requests.Response:
        return requests.post(f"{self.service_url}{path}", json=body, headers=self.headers, timeout=30)
