"""The benchmark page shows each stored result, except one withdrawn because the code has moved on from it."""

from __future__ import annotations

from benchmarks.page import render


def test_a_withdrawn_result_is_named_but_none_of_its_figures_shown() -> None:
    withdrawn = {
        "status": "measured",
        "withdrawn": "measured on code that has changed since",
        "timings": [{"measure": "old", "samples": 5, "p50_ms": 123.4, "p95_ms": 1, "max_ms": 1}],
    }
    page = render({"handoff": withdrawn}, {})
    section = page.split("## 4. Handoff timings")[1].split("## 5.")[0]
    assert "Not shown: measured on code that has changed since" in section
    assert "123.4" not in page


def test_the_email_section_shows_its_timings() -> None:
    email = {
        "status": "measured",
        "machine": {"load_average_1min": 2.5},
        "timings": [
            {"measure": "mail posted -> reply", "samples": 30, "p50_ms": 812.5, "p95_ms": 990.0, "max_ms": 1200}
        ],
        "how": "How: thirty mails.",
    }
    section = render({"email": email}, {}).split("## 6. E-mail: inbound mail to reply")[1].split("## 7.")[0]
    assert "| mail posted -> reply | 30 | 812.5 | 990.0 | 1200 |" in section
    assert "load average 2.5 before" in section
