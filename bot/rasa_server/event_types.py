"""Rasa's event classes found by type name from a table, instead of by walking every subclass each time.

`Event.resolve_by_type` (Rasa 3.6) lists all subclasses of `Event`, recursively, for every event it
deserialises: reading a conversation of a hundred events walked the class tree a hundred times. The table
keeps Rasa's answer (the first class in that walk with the name); a name not in it is looked up Rasa's way
once more, so an event class imported later is still found, and an unknown name fails as before.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, Text, Type


class EventTypes:
    """Type name -> event class, as Rasa's walk over `Event`'s subclasses finds it first."""

    def __init__(self, subclasses: Callable[[], Any]) -> None:
        self._subclasses = subclasses
        self._by_name: Dict[Text, Type[Any]] = {}

    def refresh(self) -> None:
        by_name: Dict[Text, Type[Any]] = {}
        for cls in self._subclasses():
            by_name.setdefault(cls.type_name, cls)
        self._by_name = by_name

    def find(self, type_name: Text) -> Optional[Type[Any]]:
        found = self._by_name.get(type_name)
        if found is None:
            self.refresh()
            found = self._by_name.get(type_name)
        return found


def install() -> EventTypes:
    """Makes `Event.resolve_by_type` look names up in a table; its results and errors are Rasa's."""
    import rasa.shared.utils.common
    from rasa.shared.core.events import Event

    original = getattr(Event.resolve_by_type, "__wrapped_resolve__", Event.resolve_by_type)
    types = EventTypes(lambda: rasa.shared.utils.common.all_subclasses(Event))

    def resolve_by_type(type_name: Text, default: Optional[Type[Event]] = None) -> Optional[Type[Event]]:
        found = types.find(type_name)
        if found is not None:
            return found
        return original(type_name, default)

    resolve_by_type.__wrapped_resolve__ = original  # type: ignore[attr-defined]
    Event.resolve_by_type = staticmethod(resolve_by_type)  # type: ignore[method-assign]
    return types
