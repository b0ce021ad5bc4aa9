"""The one HTTP client of the feeds: retries that honour Retry-After, clear errors, no secret anywhere."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from pytest_httpserver import HTTPServer

from python_models.ingest.http import (
    FeedAuthError,
    FeedNotFoundError,
    FeedUnavailableError,
    HttpClient,
    parse_retry_after,
    redact_url,
)

SECRET = "sk-live-0123456789abcdef"


def client(server: HTTPServer, waits: list[float], retries: int = 3, **kw) -> HttpClient:
    return HttpClient("test feed", server.url_for(""), retries=retries, sleep=waits.append, **kw)


def test_503_with_retry_after_then_success_waits_as_told(httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/v1/x").respond_with_data(
        "down", status=503, headers={"Retry-After": "7"}
    )
    httpserver.expect_ordered_request("/v1/x").respond_with_json({"ok": True})
    waits: list[float] = []
    with client(httpserver, waits) as http:
        body, fetched = http.get_json("/v1/x", {"date": "2026-07-01"})
    assert body == {"ok": True}
    assert waits == [7.0]
    assert fetched.status == 200 and "date=2026-07-01" in fetched.url


def test_a_feed_that_stays_down_names_itself_and_the_status(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/x").respond_with_data("busy", status=429)
    waits: list[float] = []
    with client(httpserver, waits, retries=2) as http, pytest.raises(FeedUnavailableError) as err:
        http.get("/v1/x")
    assert "test feed is unavailable after 3 attempt(s)" in str(err.value)
    assert "429" in str(err.value)
    assert len(waits) == 2 and waits[1] > waits[0]  # exponential backoff without Retry-After


def test_a_bad_key_fails_at_once_and_never_shows_the_key(
    httpserver: HTTPServer, caplog: pytest.LogCaptureFixture
) -> None:
    httpserver.expect_request("/v4/sports").respond_with_json({"message": "bad key"}, status=401)
    waits: list[float] = []
    caplog.set_level(logging.DEBUG)
    with (
        client(httpserver, waits, secret_params={"apiKey": SECRET}) as http,
        pytest.raises(FeedAuthError) as err,
    ):
        http.get("/v4/sports")
    assert waits == []
    assert "401" in str(err.value) and "API key" in str(err.value)
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith("werkzeug")]  # not the stand-in's
    assert any("HTTP Request" in line for line in ours)  # httpx did log the request, masked
    assert SECRET not in str(err.value) and not any(SECRET in line for line in ours)


def test_the_stored_url_has_no_secret_but_the_request_carried_it(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v4/odds", query_string={"markets": "m", "apiKey": SECRET}).respond_with_json(
        []
    )
    with client(httpserver, [], secret_params={"apiKey": SECRET}) as http:
        _, fetched = http.get_json("/v4/odds", {"markets": "m"})
    assert SECRET not in fetched.url and "markets=m" in fetched.url


def test_redact_url_and_retry_after_forms() -> None:
    assert redact_url("https://h/p?a=1&apiKey=s&KEY=t") == "https://h/p?a=1"
    assert redact_url("https://h/p?apiKey=s") == "https://h/p"
    now = datetime(2026, 7, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("Wed, 01 Jul 2026 12:00:30 GMT", now) == 30.0
    assert parse_retry_after("12", now) == 12.0
    assert parse_retry_after("soon", now) is None


def test_a_missing_document_is_not_an_outage_and_is_not_retried(httpserver: HTTPServer) -> None:
    httpserver.expect_request("/downloads/2031/2031csvs.zip").respond_with_data("no", status=404)
    waits: list[float] = []
    with client(httpserver, waits) as http, pytest.raises(FeedNotFoundError, match="answered 404"):
        http.get("/downloads/2031/2031csvs.zip")
    assert waits == []
