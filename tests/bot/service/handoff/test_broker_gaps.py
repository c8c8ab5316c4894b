"""The broker cursor stops before a hole in the event ids until it fills or is old enough to be a rollback."""

from __future__ import annotations

from typing import List

from bot.service.handoff.broker_gaps import GapWatch


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_contiguous_ids_move_the_cursor_to_the_last() -> None:
    assert GapWatch().safe_cursor(0, [1, 2, 3]) == 3
    assert GapWatch().safe_cursor(7, []) == 7


def test_a_young_hole_holds_the_cursor_until_it_fills() -> None:
    clock = Clock()
    gaps = GapWatch(grace_seconds=10, clock=clock)
    assert gaps.safe_cursor(0, [1, 2, 4, 5]) == 2  # 3 is not visible yet
    clock.now += 5
    assert gaps.safe_cursor(2, [4, 5]) == 2
    assert gaps.safe_cursor(2, [3, 4, 5]) == 5  # 3 committed late
    assert gaps.open_holes == 0


def test_a_hole_older_than_the_grace_is_stepped_over() -> None:
    clock = Clock()
    gaps = GapWatch(grace_seconds=10, clock=clock)
    seen: List[int] = [gaps.safe_cursor(0, [1, 5, 6])]
    clock.now += 10.5
    seen.append(gaps.safe_cursor(1, [5, 6, 9]))  # 2-4 are a rollback; 7-8 are a new hole
    clock.now += 10.5
    seen.append(gaps.safe_cursor(6, [9]))
    assert seen == [1, 6, 9]
    assert gaps.open_holes == 0
