"""The injured list, cached with a TTL; a failing query is retried, then the run goes on with an EMPTY set.

Retry policy (as the original): 3 retries, backoff 1 s doubling to at most 10 s, 30 s overall deadline.
When every attempt fails the cache is invalidated (never a stale list: a pitcher who came off the IL must
not stay flagged) and an ERROR is logged, so the run proceeds and the operator sees it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

log = logging.getLogger(__name__)


@dataclass
class RetryPolicy:
    retries: int = 3
    first_delay_s: float = 1.0
    factor: float = 2.0
    max_delay_s: float = 10.0
    deadline_s: float = 30.0


@dataclass
class InjuredListCache:
    fetch: Callable[[date], set[str]]
    ttl_hours: float = 3.0
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _entries: dict[date, tuple[float, frozenset[str]]] = field(default_factory=dict)
    last_error: str | None = None

    def get(self, day: date) -> frozenset[str]:
        """Pitcher ids on the injured list for ``day`` (cached for ``ttl_hours``)."""
        cached = self._entries.get(day)
        if cached and self.clock() - cached[0] < self.ttl_hours * 3600:
            return cached[1]
        started = self.clock()
        delay = self.policy.first_delay_s
        for attempt in range(self.policy.retries + 1):
            try:
                ids = frozenset(self.fetch(day))
            except Exception as exc:
                self.last_error = f"{type(exc).__name__}: {exc}"
                elapsed = self.clock() - started
                if attempt == self.policy.retries or elapsed + delay > self.policy.deadline_s:
                    break
                log.warning(
                    "injured-list query failed (attempt %d): %s; retrying in %.0fs", attempt + 1, exc, delay
                )
                self.sleep(delay)
                delay = min(delay * self.policy.factor, self.policy.max_delay_s)
                continue
            self._entries[day] = (self.clock(), ids)
            self.last_error = None
            return ids
        self._entries.pop(day, None)
        log.error(
            "injured-list query failed after retries (%s); scoring proceeds WITHOUT injury flags",
            self.last_error,
        )
        return frozenset()
