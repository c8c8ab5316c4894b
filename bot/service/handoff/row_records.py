"""Rows into handoff records: each field read by its column name, statuses turned back into their enums."""

from __future__ import annotations

import enum
import functools
import types
import typing
from dataclasses import fields
from typing import TYPE_CHECKING, Any, Dict, Optional, Type, TypeVar

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Record = TypeVar("Record", bound="DataclassInstance")


def record_from_row(record_type: Type[Record], row: Any, **converted: object) -> Record:
    """`converted` gives the fields the table stores differently (JSON text, say); the rest come from `row`."""
    enums = _enum_fields(record_type)
    values: Dict[str, object] = {}
    for field in fields(record_type):
        if field.name in converted:
            values[field.name] = converted[field.name]
        elif field.name in enums:
            values[field.name] = _as_enum(enums[field.name], getattr(row, field.name))
        else:
            values[field.name] = getattr(row, field.name)
    return record_type(**values)


def _as_enum(enum_type: Type[enum.Enum], stored: object) -> Optional[enum.Enum]:
    # an optional status is stored as NULL (or, by older releases, as an empty string)
    return enum_type(stored) if stored else None


@functools.cache
def _enum_fields(record_type: type) -> Dict[str, Type[enum.Enum]]:
    """The fields whose type is an Enum (or an optional one), by name."""
    found: Dict[str, Type[enum.Enum]] = {}
    for name, hint in typing.get_type_hints(record_type).items():
        candidates = typing.get_args(hint) if _is_union(hint) else (hint,)
        for candidate in candidates:
            if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
                found[name] = candidate
    return found


def _is_union(hint: object) -> bool:
    return typing.get_origin(hint) is typing.Union or isinstance(hint, types.UnionType)
