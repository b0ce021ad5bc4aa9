"""A circuit breaker per prediction system: failures degrade one system, never the others."""

from __future__ import annotations

import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

log = logging.getLogger(__name__)


@dataclass
class CircuitBreaker:
    """Closed → (``threshold`` consecutive failures) → open for ``cooldown_s`` → half-open (one trial).

    A model that cannot be loaded (corrupt or missing file, checksum mismatch) opens the circuit at once
    (``fatal=True``): retrying the same file cannot help until someone replaces it.
    """

    system_id: str
    threshold: int = 3
    cooldown_s: float = 300.0
    clock: Callable[[], float] = time.monotonic
    failures: int = 0
    opened_at: float | None = None
    last_error: str | None = None
    history: list[str] = field(default_factory=list)

    @property
    def state(self) -> str:
        if self.opened_at is None:
            return "closed"
        if self.clock() - self.opened_at >= self.cooldown_s:
            return "half-open"
        return "open"

    def allow(self) -> bool:
        return self.state != "open"

    def record_success(self) -> None:
        if self.opened_at is not None:
            log.info("circuit %s closed again after a successful trial", self.system_id)
        self.failures, self.opened_at, self.last_error = 0, None, None

    def record_failure(self, error: str, *, fatal: bool = False) -> None:
        self.failures += 1
        self.last_error = error
        self.history.append(error)
        if fatal or self.failures >= self.threshold or self.state == "half-open":
            if self.opened_at is None or self.state == "half-open":
                log.error("circuit %s OPEN after %d failure(s): %s", self.system_id, self.failures, error)
            self.opened_at = self.clock()


@dataclass
class FallbackMonitor:
    """Share of ensemble predictions that fell back to one component within the last ``window_minutes``;
    above ``threshold`` (MLB_FALLBACK_RATE_THRESHOLD) it logs an alert."""

    threshold: float
    window_minutes: int
    events: deque[tuple[float, int, int]] = field(default_factory=deque)

    def record(self, rows: int, fallbacks: int, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        self.events.append((now, rows, fallbacks))
        while self.events and now - self.events[0][0] > self.window_minutes * 60:
            self.events.popleft()
        total = sum(e[1] for e in self.events)
        rate = sum(e[2] for e in self.events) / total if total else 0.0
        if rate > self.threshold:
            log.warning(
                "ensemble fallback rate %.0f%% over the last %d min exceeds MLB_FALLBACK_RATE_THRESHOLD %.0f%%",
                100 * rate,
                self.window_minutes,
                100 * self.threshold,
            )
        return rate
