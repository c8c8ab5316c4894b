"""Keeps bound SQL parameters (customers' messages, e-mails) out of the error messages of Rasa's SQL stores."""

from __future__ import annotations

import functools
from typing import Any


def hide_parameters_everywhere() -> None:
    """Every engine this process creates from now on, Rasa's tracker store and event broker included,
    reports errors without the bound parameters (SQLAlchemy's `hide_parameters`)."""
    import sqlalchemy

    create_engine = sqlalchemy.create_engine
    if getattr(create_engine, "hides_parameters", False):
        return

    @functools.wraps(create_engine)
    def create_engine_hiding_parameters(*args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault("hide_parameters", True)
        return create_engine(*args, **kwargs)

    create_engine_hiding_parameters.hides_parameters = True  # type: ignore[attr-defined]
    sqlalchemy.create_engine = create_engine_hiding_parameters
