"""How long to wait before starting a process that died again: doubling delays, forgiven after a healthy run."""

from __future__ import annotations

from dataclasses import dataclass, field

FIRST_DELAY_SECONDS = 1.0
LONGEST_DELAY_SECONDS = 30.0
# A process that ran this long before dying was healthy: its next restart is quick again.
HEALTHY_RUN_SECONDS = 60.0


@dataclass
class RestartBackoff:
    """1 s, 2 s, 4 s ... up to 30 s between restarts of a process that keeps dying; 1 s again after a minute up."""

    first_delay: float = FIRST_DELAY_SECONDS
    longest_delay: float = LONGEST_DELAY_SECONDS
    healthy_run: float = HEALTHY_RUN_SECONDS
    _next_delay: float = field(init=False)

    def __post_init__(self) -> None:
        self._next_delay = self.first_delay

    def delay_after(self, ran_for: float) -> float:
        """The wait before the next start of a process that died after running `ran_for` seconds."""
        if ran_for >= self.healthy_run:
            self._next_delay = self.first_delay
        delay = self._next_delay
        self._next_delay = min(delay * 2, self.longest_delay)
        return delay
