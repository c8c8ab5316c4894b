"""Stream tickets: single use, short-lived, bounded."""

from __future__ import annotations

from bot.service.stream_tickets import StreamTickets


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_ticket_gives_its_token_once() -> None:
    tickets = StreamTickets(clock=FakeClock())
    ticket = tickets.issue("token-a")
    assert ticket != "token-a" and len(ticket) >= 32
    assert tickets.redeem(ticket) == "token-a"
    assert tickets.redeem(ticket) is None
    assert tickets.redeem("made-up") is None


def test_a_ticket_lasts_thirty_seconds() -> None:
    clock = FakeClock()
    tickets = StreamTickets(clock=clock)
    assert tickets.lifetime_seconds == 30
    early, late = tickets.issue("token-a"), tickets.issue("token-a")
    clock.now = 29.9
    assert tickets.redeem(early) == "token-a"
    clock.now = 30.0
    assert tickets.redeem(late) is None


def test_outstanding_tickets_are_bounded_and_expired_ones_forgotten() -> None:
    clock = FakeClock()
    tickets = StreamTickets(clock=clock, max_outstanding=2)
    first, second, third = (tickets.issue(f"token-{n}") for n in range(3))
    assert tickets.redeem(first) is None, "the oldest made room"
    assert tickets.redeem(second) == "token-1" and tickets.redeem(third) == "token-2"
    clock.now = 31.0
    fresh = tickets.issue("token-3")
    assert tickets.redeem(fresh) == "token-3"
