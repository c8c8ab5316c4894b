"""Who may read /metrics without METRICS_TOKEN: loopback callers, judged behind the edge by the address it vouches for."""

from __future__ import annotations

import requests

from tests.support.handoff_fixtures import RunningService

EDGE_SECRET = "edge-secret-for-this-test"


def test_a_loopback_caller_reads_the_metrics(service: RunningService) -> None:
    assert requests.get(f"{service.url}/metrics", timeout=10).status_code == 200


def test_behind_the_edge_a_remote_client_is_refused_though_the_peer_is_loopback(service: RunningService) -> None:
    service.app.config.FORWARDED_SECRET = EDGE_SECRET
    vouched_remote = {"Forwarded": f"for=203.0.113.9;secret={EDGE_SECRET}"}
    assert requests.get(f"{service.url}/metrics", headers=vouched_remote, timeout=10).status_code == 403
    vouched_local = {"Forwarded": f"for=127.0.0.1;secret={EDGE_SECRET}"}
    assert requests.get(f"{service.url}/metrics", headers=vouched_local, timeout=10).status_code == 200


def test_a_clients_own_forwarding_header_proves_nothing(service: RunningService) -> None:
    claimed = {"Forwarded": "for=127.0.0.1;secret=guessed", "X-Forwarded-For": "127.0.0.1"}
    service.app.config.FORWARDED_SECRET = EDGE_SECRET
    # the peer is loopback here, so the claim changes nothing either way; what matters is that it is not trusted
    assert requests.get(f"{service.url}/metrics", headers=claimed, timeout=10).status_code == 200
    remote_claim = {"Forwarded": "for=203.0.113.9;secret=guessed"}
    assert requests.get(f"{service.url}/metrics", headers=remote_claim, timeout=10).status_code == 200
