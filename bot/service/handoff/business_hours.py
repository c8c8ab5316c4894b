"""Opening hours such as `Mon-Fri 09:00-18:00, Sat 10:00-14:00` in a named time zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import FrozenSet, Optional, Tuple
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class InvalidBusinessHours(ValueError):
    pass


@dataclass(frozen=True)
class OpeningWindow:
    weekdays: FrozenSet[int]
    opens: time
    closes: time


@dataclass(frozen=True)
class BusinessHours:
    windows: Tuple[OpeningWindow, ...]
    timezone: ZoneInfo

    @classmethod
    def parse(cls, spec: str, timezone_name: str) -> BusinessHours:
        try:
            zone = ZoneInfo(timezone_name)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise InvalidBusinessHours(f"unknown time zone {timezone_name!r}") from error
        windows = tuple(_parse_window(part) for part in spec.split(",") if part.strip())
        if not windows:
            raise InvalidBusinessHours("business hours must name at least one opening window")
        return cls(windows, zone)

    def is_open(self, moment: datetime) -> bool:
        local = moment.astimezone(self.timezone)
        return any(
            local.weekday() in window.weekdays and window.opens <= local.time() < window.closes
            for window in self.windows
        )

    def next_opening(self, moment: datetime) -> Optional[datetime]:
        """The next moment the team is open (the given one if open now), in the business time zone."""
        local = moment.astimezone(self.timezone)
        if self.is_open(local):
            return local
        for day_offset in range(8):
            day = (local + timedelta(days=day_offset)).date()
            openings = sorted(
                datetime.combine(day, window.opens, tzinfo=self.timezone)
                for window in self.windows
                if day.weekday() in window.weekdays
            )
            for opening in openings:
                if opening > local:
                    return opening
        return None


def _parse_window(part: str) -> OpeningWindow:
    try:
        days_text, hours_text = part.strip().split()
        opens_text, closes_text = hours_text.split("-")
        opens, closes = _clock_time(opens_text), _clock_time(closes_text)
    except ValueError as error:
        raise InvalidBusinessHours(f"cannot read {part.strip()!r}; write it like 'Mon-Fri 09:00-18:00'") from error
    if opens >= closes:
        raise InvalidBusinessHours(f"{part.strip()!r} closes before it opens")
    return OpeningWindow(_parse_days(days_text), opens, closes)


def _clock_time(text: str) -> time:
    # "24:00" closes at the very end of the day, as people write it
    return time.max if text.strip() == "24:00" else time.fromisoformat(text.strip())


def _parse_days(days_text: str) -> FrozenSet[int]:
    weekdays = set()
    for item in days_text.lower().split("+"):
        first, _, last = item.partition("-")
        if first[:3] not in _DAYS or (last and last[:3] not in _DAYS):
            raise InvalidBusinessHours(f"unknown day in {days_text!r}")
        start = _DAYS.index(first[:3])
        end = _DAYS.index(last[:3]) if last else start
        day = start
        while True:
            weekdays.add(day)
            if day == end:
                break
            day = (day + 1) % 7
    return frozenset(weekdays)
