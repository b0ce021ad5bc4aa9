"""Circuit breaker and injured-list cache: failures degrade, retries back off, stale data is never served."""

from __future__ import annotations

from datetime import date

from python_models.scoring.circuit import CircuitBreaker
from python_models.scoring.il_cache import InjuredListCache


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_breaker_opens_after_threshold_and_half_opens_after_cooldown() -> None:
    clock = FakeClock()
    b = CircuitBreaker("v1_baseline", threshold=3, cooldown_s=60, clock=clock)
    for _ in range(2):
        b.record_failure("boom")
    assert b.state == "closed" and b.allow()
    b.record_failure("boom")
    assert b.state == "open" and not b.allow()
    clock.now += 61
    assert b.state == "half-open" and b.allow()
    b.record_failure("still broken")
    assert b.state == "open"
    clock.now += 61
    b.record_success()
    assert b.state == "closed" and b.failures == 0


def test_corrupt_model_opens_the_circuit_at_once() -> None:
    b = CircuitBreaker("v1_6_rolling", threshold=3)
    b.record_failure("sha256 mismatch", fatal=True)
    assert b.state == "open"


def test_il_cache_serves_from_cache_within_ttl() -> None:
    clock, calls = FakeClock(), []

    def fetch(day: date) -> set[str]:
        calls.append(day)
        return {"colee001"}

    cache = InjuredListCache(fetch, ttl_hours=3, clock=clock, sleep=clock.sleep)
    d = date(2026, 5, 1)
    assert cache.get(d) == {"colee001"} and cache.get(d) == {"colee001"}
    clock.now += 3 * 3600 + 1
    cache.get(d)
    assert len(calls) == 2


def test_il_query_failing_retries_with_backoff_then_empty_not_stale(caplog) -> None:
    clock = FakeClock()
    state = {"fail": False, "calls": 0}

    def fetch(day: date) -> set[str]:
        state["calls"] += 1
        if state["fail"]:
            raise ConnectionError("warehouse unreachable")
        return {"colee001"}

    cache = InjuredListCache(fetch, ttl_hours=3, clock=clock, sleep=clock.sleep)
    d = date(2026, 5, 1)
    assert cache.get(d) == {"colee001"}
    clock.now += 4 * 3600  # expired
    state["fail"] = True
    state["calls"] = 0
    assert cache.get(d) == frozenset()  # not the stale {"colee001"}
    assert state["calls"] == 4  # 1 try + 3 retries
    assert clock.sleeps == [1.0, 2.0, 4.0]
    assert "WITHOUT injury flags" in caplog.text


def test_il_retry_respects_the_deadline() -> None:
    clock = FakeClock()

    def fetch(day: date) -> set[str]:
        clock.now += 12  # each attempt takes 12 s
        raise TimeoutError("slow")

    cache = InjuredListCache(fetch, clock=clock, sleep=clock.sleep)
    assert cache.get(date(2026, 5, 1)) == frozenset()
    assert clock.now <= 30 + 12
