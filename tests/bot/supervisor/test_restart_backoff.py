"""Restart delays double while a process keeps dying, stop growing at the cap and start over after a healthy run."""

from __future__ import annotations

from bot.supervisor.restart_backoff import RestartBackoff


def test_delays_double_from_one_second_up_to_thirty() -> None:
    backoff = RestartBackoff()
    assert [backoff.delay_after(ran_for=0.5) for _ in range(8)] == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_minute_of_health_makes_the_next_restart_quick_again() -> None:
    backoff = RestartBackoff()
    for _ in range(5):
        backoff.delay_after(ran_for=1)
    assert backoff.delay_after(ran_for=60) == 1
    assert backoff.delay_after(ran_for=1) == 2


def test_a_run_just_short_of_a_minute_is_not_yet_health() -> None:
    backoff = RestartBackoff()
    backoff.delay_after(ran_for=1)
    assert backoff.delay_after(ran_for=59.9) == 2
