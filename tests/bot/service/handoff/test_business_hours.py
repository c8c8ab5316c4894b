"""Opening hours in the business time zone, across weekends and daylight saving."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.service.handoff.business_hours import BusinessHours, InvalidBusinessHours

UTC = timezone.utc


def test_weekday_hours_in_london_time() -> None:
    hours = BusinessHours.parse("Mon-Fri 09:00-18:00", "Europe/London")
    # 2026-07-01 is a Wednesday; London is on BST (UTC+1)
    assert hours.is_open(datetime(2026, 7, 1, 8, 30, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 7, 1, 7, 59, tzinfo=UTC))
    assert not hours.is_open(datetime(2026, 7, 1, 17, 0, tzinfo=UTC))
    # Saturday
    assert not hours.is_open(datetime(2026, 7, 4, 12, 0, tzinfo=UTC))


def test_next_opening_skips_the_weekend() -> None:
    hours = BusinessHours.parse("Mon-Fri 09:00-18:00, Sat 10:00-14:00", "Europe/London")
    saturday_evening = datetime(2026, 11, 21, 15, 0, tzinfo=UTC)
    assert hours.next_opening(saturday_evening) == datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
    friday_night = datetime(2026, 11, 20, 19, 0, tzinfo=UTC)
    assert hours.next_opening(friday_night) == datetime(2026, 11, 21, 10, 0, tzinfo=UTC)


def test_round_the_clock_hours() -> None:
    hours = BusinessHours.parse("Mon-Sun 00:00-24:00", "UTC")
    assert hours.is_open(datetime(2026, 11, 22, 23, 59, 59, tzinfo=UTC))
    assert hours.is_open(datetime(2026, 11, 22, 0, 0, tzinfo=UTC))


@pytest.mark.parametrize(
    "spec, zone",
    [
        ("Mon-Fri", "UTC"),
        ("Mon-Fri 18:00-09:00", "UTC"),
        ("Funday 09:00-10:00", "UTC"),
        ("", "UTC"),
        ("Mon-Fri 09:00-18:00", "Mars/Olympus"),
    ],
)
def test_unreadable_hours_are_refused_with_a_message(spec: str, zone: str) -> None:
    with pytest.raises(InvalidBusinessHours):
        BusinessHours.parse(spec, zone)
