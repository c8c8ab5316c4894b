"""The serving benchmark's reply checks, its comparison with the starter and the sizing it writes."""

from __future__ import annotations

from pathlib import Path

from benchmarks.serving.conversations import DemoOrder, Turn, shop_conversations, starter_conversations
from benchmarks.serving.part import _ratios, _verdicts
from benchmarks.serving.sizing import END_MARK, START_MARK, write_sizing

ORDERS = [DemoOrder("ORD-100001", "maria.keller@example.com"), DemoOrder("ORD-100002", "tom.becker@example.com")]


def level(concurrency: int, rate: float, p95: float) -> dict:
    return {"concurrency": concurrency, "messages_per_second": rate, "p95_ms": p95, "failures": 0, "wrong_replies": 0}


def test_a_reply_is_right_only_when_it_holds_what_the_turn_expects() -> None:
    turn = Turn("maria.keller@example.com", ("100001",))
    assert turn.answered_by(["Order ORD-100001 is in transit."])
    assert not turn.answered_by(["Sorry, I couldn't handle that just now."])
    assert not turn.answered_by([])


def test_every_scripted_turn_expects_something() -> None:
    conversations = shop_conversations(ORDERS, 8) + starter_conversations(6)
    assert {c.kind for c in conversations} >= {"order status", "product question", "invoice", "fallback", "starter"}
    assert all(turn.expected and all(turn.expected) for c in conversations for turn in c.turns)
    order_status = next(c for c in conversations if c.kind == "order status")
    email_turn = order_status.turns[2]
    # the answer to the e-mail must name the order asked about (ORD-100001 or its invoice INV-100001)
    asked = next(order for order in ORDERS if order.email == email_turn.text)
    assert email_turn.expected == (asked.number.split("-")[1],)


def test_the_targets_compare_each_deployment_with_the_starter_at_20_customers() -> None:
    starter = {"rest": [level(20, 36.0, 768.0)], "socketio": [level(20, 30.0, 900.0)]}
    deployments = {
        "starter": {"levels": starter},
        "embedded": {"levels": {"rest": [level(20, 55.0, 900.0)], "socketio": [level(20, 30.0, 1200.0)]}},
        "scaled": {"levels": {"rest": [level(20, 100.0, 350.0)], "socketio": [level(20, 95.0, 380.0)]}},
    }
    verdicts = {(row["deployment"], row["transport"]): row for row in _verdicts(deployments)}

    assert verdicts[("embedded", "rest")]["met"] and verdicts[("embedded", "rest")]["ratio"] == 1.53
    assert not verdicts[("embedded", "socketio")]["met"]  # 1.0x and p95 over 1 s
    assert not verdicts[("scaled", "rest")]["met"]  # 2.78x < 3x
    assert verdicts[("scaled", "socketio")]["met"]
    assert _ratios([level(20, 72.0, 384.0)], starter["rest"]) == [
        {"concurrency": 20, "throughput_ratio": 2.0, "p95_ratio": 0.5}
    ]


def test_the_sizing_section_replaces_only_what_lies_between_its_marks(tmp_path: Path) -> None:
    page = tmp_path / "scaling.md"
    page.write_text(f"# Scaling\n\nbefore\n\n{START_MARK}\nold figures\n{END_MARK}\n\nafter\n")
    result = {
        "status": "measured",
        "machine": {"cores": 2, "date": "today", "commit": "abc", "load_average_1min": 1.0},
        "deployments": {
            "scaled": {
                "levels": {"rest": [level(20, 100.0, 350.0)]},
                "capacity": {"messages_per_second": 40.0},
                "rss_peak_under_load_mib": {"Rasa server 1": 760.0},
            }
        },
    }

    assert write_sizing(page, result)

    text = page.read_text()
    assert "old figures" not in text and text.startswith("# Scaling\n\nbefore") and text.endswith("after\n")
    # 40 messages/s on 2 cores: 20 per core bounded, 50 closed loop; 200-400 conversations at 10-20 s apart
    assert "| scaled | 20.0 | 50.0 | 200-400 | Rasa server 1 760 |" in text
    assert not write_sizing(page, {"status": "failed"})
