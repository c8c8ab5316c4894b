"""A malformed request as a list of the fields that are wrong, in words that never repeat the input."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Mapping, Sequence, Tuple, Union

from pydantic import ValidationError

from bot.service.handoff.errors import InvalidRequest

BODY = "body"
# a key the client invented is named only if it looks like a field name; anything else could be the input itself
_PLAIN_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


@dataclass(frozen=True)
class FieldProblem:
    field: str
    problem: str

    def sentence(self) -> str:
        return self.problem if self.field == BODY else f"'{self.field}' {self.problem}"


class MalformedRequest(InvalidRequest):
    """The request's body or query does not fit its model; answered with 400 and the fields."""

    def __init__(self, problems: Sequence[FieldProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(problem.sentence() for problem in self.problems))

    @classmethod
    def of_body(cls, problem: str) -> MalformedRequest:
        return cls([FieldProblem(BODY, problem)])


def _limit(context: Mapping[str, Any]) -> str:
    return str(context.get("limit_value", ""))


def _enum_choices(context: Mapping[str, Any]) -> str:
    return ", ".join(str(getattr(value, "value", value)) for value in context.get("enum_values", ()))


# pydantic's wording is for programmers; these are the phrases the API has always used
_PHRASES: Dict[str, Callable[[Mapping[str, Any]], str]] = {
    "value_error.missing": lambda _: "is required",
    "value_error.extra": lambda _: "is not a field of this request",
    "type_error.none.not_allowed": lambda _: "is required",
    "type_error.str": lambda _: "must be a string",
    "type_error.dict": lambda _: "must be a JSON object",
    "type_error.list": lambda _: "must be a list",
    "type_error.integer": lambda _: "must be a whole number",
    "type_error.enum": lambda context: f"must be one of: {_enum_choices(context)}",
    "value_error.any_str.min_length": lambda _: "must not be empty",
    "value_error.any_str.max_length": lambda context: f"must be at most {_limit(context)} characters long",
    "value_error.number.not_ge": lambda context: f"must be at least {_limit(context)}",
    "value_error.number.not_le": lambda context: f"must be at most {_limit(context)}",
}


def _field_name(location: Tuple[Union[int, str], ...]) -> str:
    parts = [str(part) if isinstance(part, int) or _PLAIN_NAME.match(part) else "(unnamed)" for part in location]
    return ".".join(parts) or BODY


def _phrase(error: Dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    context: Mapping[str, Any] = error.get("ctx") or {}
    phrase = _PHRASES.get(kind)
    if phrase is not None:
        return phrase(context)
    # our own validators raise with a finished phrase; pydantic's other messages never quote the value
    return str(error.get("msg", "is not valid"))


def problems_of(error: ValidationError) -> List[FieldProblem]:
    return [FieldProblem(_field_name(tuple(item["loc"])), _phrase(dict(item))) for item in error.errors()]
