"""Who is viewing or typing in a chat: typing lapses into viewing, viewing lapses into absence."""

from __future__ import annotations

from bot.service.presence import TYPING_SECONDS, VIEWING_SECONDS, Activity, ChatPresence


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_typing_lapses_into_viewing_and_viewing_into_absence() -> None:
    clock = Clock()
    presence = ChatPresence(monotonic=clock)
    assert presence.report(7, "conv-7", 1, "Dana", Activity.TYPING)
    assert [(p.display_name, p.activity) for p in presence.present(7)] == [("Dana", Activity.TYPING)]
    clock.now += TYPING_SECONDS + 0.1
    assert [p.activity for p in presence.present(7)] == [Activity.VIEWING]
    clock.now += VIEWING_SECONDS
    assert presence.present(7) == []


def test_an_agent_does_not_see_themselves_and_a_repeat_is_no_news() -> None:
    presence = ChatPresence(monotonic=Clock())
    assert presence.report(7, "conv-7", 1, "Dana", Activity.VIEWING)
    assert not presence.report(7, "conv-7", 1, "Dana", Activity.VIEWING)
    presence.report(7, "conv-7", 2, "Omar", Activity.VIEWING)
    assert [p.display_name for p in presence.present(7, except_agent=1)] == ["Omar"]
    assert presence.report(7, "conv-7", 2, "Omar", Activity.LEFT)
    assert presence.present(7, except_agent=1) == []


def test_the_customer_sees_only_the_typing_of_the_agent_who_may_write() -> None:
    clock = Clock()
    presence = ChatPresence(monotonic=clock)
    presence.report(7, "conv-7", 2, "Omar", Activity.TYPING, writes=False)
    assert not presence.agent_typing("conv-7").typing
    presence.report(7, "conv-7", 1, "Dana", Activity.TYPING)
    typing = presence.agent_typing("conv-7")
    assert (typing.typing, typing.agent) == (True, "Dana")
    assert not presence.agent_typing("conv-other").typing
    clock.now += TYPING_SECONDS + 0.1
    assert not presence.agent_typing("conv-7").typing
