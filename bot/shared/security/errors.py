"""The error a throttled route raises; the bot service answers it with 429 and Retry-After."""

from __future__ import annotations

import math


class RateLimited(Exception):
    """`str(error)` is a message for a person; `retry_after_seconds` is whole seconds, at least 1."""

    def __init__(self, message: str, retry_after: float) -> None:
        super().__init__(message)
        self.retry_after_seconds = max(1, math.ceil(retry_after))
