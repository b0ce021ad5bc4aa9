"""One HTTP client for every feed and download: httpx with timeouts, tenacity retries, secrets kept out.

- A request answered 429 or 5xx, or cut off (connect/read timeout, dropped connection), is retried up to
  ``KZONE_HTTP_RETRIES`` times with exponential backoff; a ``Retry-After`` header (seconds or an HTTP date)
  sets the wait instead, capped at :data:`MAX_RETRY_AFTER_S` so a feed cannot stall the morning.
- A 401/403 raises :class:`FeedAuthError` at once (a bad key does not get better by retrying).
- What is left after the retries raises :class:`FeedUnavailableError` naming the feed and the status.
- A 404 raises :class:`FeedNotFoundError` (a file not published yet is not an outage).
- :meth:`HttpClient.download` streams a file to disk through ``<file>.part`` and resumes an interrupted
  download with a ``Range`` request (a server that ignores it answers 200 and the file restarts).
- Query parameters that carry a secret (``apiKey``, ``api_key``, ``key``, ``token``) are never part of a
  logged line, an error message or a URL handed back for storage: :func:`redact_url` removes them.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import httpx
from tenacity import RetryCallState, Retrying, retry_if_exception, stop_after_attempt

log = logging.getLogger(__name__)

SECRET_PARAMS = frozenset({"apikey", "api_key", "key", "token", "access_token"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_AFTER_S = 60.0
BACKOFF_BASE_S = 0.5
BACKOFF_MAX_S = 30.0
USER_AGENT = "kzone (MLB strikeout predictions; https://github.com/kzone)"


_SECRET_IN_TEXT = re.compile(r"(?i)([?&](?:" + "|".join(SECRET_PARAMS) + r")=)[^&\s'\"]+")


def _is_text(value: object) -> bool:
    return isinstance(value, str | httpx.URL)


class _RedactSecrets(logging.Filter):
    """httpx logs every request URL at INFO: the secret query parameters are masked before any handler."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _SECRET_IN_TEXT.sub(r"\1***", str(record.msg))
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(_SECRET_IN_TEXT.sub(r"\1***", str(a)) if _is_text(a) else a for a in args)
        return True


logging.getLogger("httpx").addFilter(_RedactSecrets())


class FeedError(RuntimeError):
    """A feed answered something the runner cannot use. The message never carries a secret."""


class FeedAuthError(FeedError):
    """The feed refused the credentials (401/403)."""


class FeedUnavailableError(FeedError):
    """The feed stayed down (429/5xx or no answer) after every retry."""


class FeedNotFoundError(FeedError):
    """The feed has no such document (404), e.g. a season not published yet."""


class _Retryable(Exception):
    def __init__(self, status: int | None, retry_after: float | None, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.retry_after = retry_after


def redact_url(url: str | httpx.URL) -> str:
    """The URL without any secret-carrying query parameter (what logs, errors and stored payloads get)."""
    parsed = httpx.URL(str(url))
    kept = [(k, v) for k, v in parsed.params.multi_items() if k.lower() not in SECRET_PARAMS]
    return str(parsed.copy_with(params=httpx.QueryParams(kept), fragment=None)).rstrip("?")


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date); None when absent/garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


@dataclass(frozen=True)
class Fetched:
    """One answered request: what a raw-payload store keeps (the URL already redacted)."""

    url: str
    status: int
    body: bytes
    headers: Mapping[str, str]
    fetched_at: datetime

    def json(self) -> Any:
        import json

        try:
            return json.loads(self.body)
        except ValueError as exc:
            raise FeedError(f"{self.url}: the answer is not JSON ({exc})") from None


@dataclass(frozen=True)
class Downloaded:
    """One file streamed to disk (the URL already redacted)."""

    url: str
    path: Path
    size: int
    headers: Mapping[str, str]
    fetched_at: datetime
    resumed: bool


class HttpClient:
    """A small wrapper over ``httpx.Client`` for one feed (``name`` appears in every message)."""

    def __init__(
        self,
        name: str,
        base_url: str,
        *,
        timeout_s: float = 20.0,
        retries: int = 4,
        secret_params: Mapping[str, str] | None = None,
        transport: httpx.BaseTransport | None = None,
        sleep: Any = time.sleep,
    ) -> None:
        self.name = name
        self.retries = retries
        self._secret_params = dict(secret_params or {})
        self._sleep = sleep
        self._client = httpx.Client(
            base_url=base_url.rstrip("/"),
            timeout=httpx.Timeout(timeout_s),
            headers={"User-Agent": USER_AGENT},
            follow_redirects=True,
            transport=transport,
        )

    def __enter__(self) -> HttpClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _wait(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _Retryable) and exc.retry_after is not None:
            return min(exc.retry_after, MAX_RETRY_AFTER_S)
        return min(BACKOFF_BASE_S * 2 ** (state.attempt_number - 1), BACKOFF_MAX_S)

    def _before_sleep(self, state: RetryCallState) -> None:
        exc = state.outcome.exception() if state.outcome else None
        wait = state.next_action.sleep if state.next_action else 0
        log.warning("%s: %s; retry %d/%d in %.1f s", self.name, exc, state.attempt_number, self.retries, wait)

    def _once(self, path: str, params: Mapping[str, Any] | None, payload: Any = None) -> Fetched:
        query = {**(params or {}), **self._secret_params}
        try:
            if payload is None:
                response = self._client.get(path, params=query)
            else:
                response = self._client.post(path, params=query, json=payload)
        except httpx.TransportError as exc:  # timeouts, refused or dropped connections
            url = redact_url(self._client.build_request("GET", path, params=params or {}).url)
            raise _Retryable(None, None, f"{url}: no answer ({type(exc).__name__})") from None
        url = self._check(response)
        return Fetched(url, response.status_code, response.content, dict(response.headers), datetime.now(UTC))

    def _check(self, response: httpx.Response) -> str:
        """The redacted URL of an answer that can be used; raise what the module says otherwise."""
        url = redact_url(response.request.url)
        if response.status_code in RETRY_STATUSES:
            raise _Retryable(
                response.status_code,
                parse_retry_after(response.headers.get("Retry-After")),
                f"{url} answered {response.status_code}",
            )
        if response.status_code in (401, 403):
            raise FeedAuthError(
                f"{self.name} refused the request ({response.status_code}) at {url}: check the API key "
                "(the key itself is not shown)"
            )
        if response.status_code == 404:
            raise FeedNotFoundError(f"{self.name}: {url} answered 404 (no such file)")
        if response.status_code >= 400:
            raise FeedError(f"{self.name}: {url} answered {response.status_code}")
        return url

    def _retrying(self, attempt: Callable[..., Any], *args: Any) -> Any:
        retrying = Retrying(
            stop=stop_after_attempt(self.retries + 1),
            wait=self._wait,
            retry=retry_if_exception(lambda exc: isinstance(exc, _Retryable)),
            before_sleep=self._before_sleep,
            sleep=self._sleep,
            reraise=True,
        )
        try:
            return retrying(attempt, *args)
        except _Retryable as exc:
            raise FeedUnavailableError(
                f"{self.name} is unavailable after {self.retries + 1} attempt(s): {exc}"
            ) from None

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> Fetched:
        """GET ``path`` (relative to the base URL), retried as the module says."""
        return self._retrying(self._once, path, params)

    def post_json(self, path: str, payload: Any) -> Fetched:
        """POST ``payload`` as JSON to ``path`` (a webhook), retried as the module says."""
        return self._retrying(self._once, path, None, payload)

    def download(
        self, path: str, dest: Path, *, progress: Callable[[int, int | None], None] | None = None
    ) -> Downloaded:
        """Stream ``path`` into ``dest``, resuming a ``dest.part`` left by an interrupted run; ``progress``
        gets (bytes so far, total or None) as the bytes arrive. ``dest`` appears only once complete."""
        dest.parent.mkdir(parents=True, exist_ok=True)
        return self._retrying(self._download_once, path, dest, progress)

    def _download_once(
        self, path: str, dest: Path, progress: Callable[[int, int | None], None] | None
    ) -> Downloaded:
        part = dest.with_name(dest.name + ".part")
        offset = part.stat().st_size if part.exists() else 0
        headers = {"Range": f"bytes={offset}-"} if offset else {}
        try:
            with self._client.stream("GET", path, headers=headers) as response:
                if response.status_code == 416:  # the part is stale or already whole: start again
                    part.unlink(missing_ok=True)
                    raise _Retryable(416, 0.0, f"{redact_url(response.request.url)}: range not satisfiable")
                url = self._check(response)
                resumed = response.status_code == 206
                done = offset if resumed else 0
                length = response.headers.get("Content-Length")
                total = done + int(length) if length and length.isdigit() else None
                with part.open("ab" if resumed else "wb") as fh:
                    for chunk in response.iter_bytes():
                        fh.write(chunk)
                        done += len(chunk)
                        if progress is not None:
                            progress(done, total)
        except httpx.TransportError as exc:  # cut off: the bytes so far stay in the part for the retry
            url = redact_url(self._client.build_request("GET", path).url)
            raise _Retryable(None, None, f"{url}: download cut off ({type(exc).__name__})") from None
        if total is not None and done != total:
            raise _Retryable(None, None, f"{url}: {done} of {total} bytes arrived")
        part.replace(dest)
        if resumed:
            log.info("%s: %s resumed at byte %d", self.name, url, offset)
        return Downloaded(url, dest, done, dict(response.headers), datetime.now(UTC), resumed)

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> tuple[Any, Fetched]:
        fetched = self.get(path, params)
        return fetched.json(), fetched
