"""Raw payloads kept: every feed answer lands unchanged, with its URL (secrets removed) and fetch time.

Layout, one folder per morning: ``{KZONE_CACHE_DIR}/payloads/{D}/{feed}/{name}.json`` (the body, byte for
byte) beside ``{name}.meta.json`` (``url`` without the key, ``status``, ``fetched_at`` UTC, ``sha256`` of
the body, the feed's quota headers when it sends them). ``name`` is derived from the request path and its
(non-secret) parameters, so fetching the same request again replaces the same file.

``kzone fetch --replay DIR`` (DIR = such a morning folder) answers every request from the folder instead
of the network: a morning replays offline, and a parser fix can be re-run over old payloads.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from python_models.ingest.http import SECRET_PARAMS, FeedError, Fetched, HttpClient

log = logging.getLogger(__name__)

QUOTA_HEADERS = ("x-requests-remaining", "x-requests-used", "x-requests-last")


def payload_name(path: str, params: Mapping[str, Any] | None) -> str:
    """A stable file name for one request (secret parameters never take part)."""
    stem = re.sub(r"[^A-Za-z0-9]+", "_", path.strip("/")).strip("_") or "root"
    kept = sorted((k, str(v)) for k, v in (params or {}).items() if k.lower() not in SECRET_PARAMS)
    if not kept:
        return stem
    digest = hashlib.sha256(json.dumps(kept).encode()).hexdigest()[:10]
    return f"{stem}__{digest}"


class FeedSource:
    """One feed's answers: from the network (and kept under ``store``), or replayed from ``replay``."""

    def __init__(
        self, feed: str, client: HttpClient | None, store: Path | None, replay: Path | None = None
    ) -> None:
        self.feed = feed
        self.client = client
        self.store = None if store is None else store / feed
        self.replay = None if replay is None else replay / feed
        self.requests = 0
        self.quota: dict[str, str] = {}

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> tuple[Any, Path | None, datetime]:
        """The decoded answer, the file it is kept in, and when it was fetched."""
        name = payload_name(path, params)
        self.requests += 1
        if self.replay is not None:
            body_path = self.replay / f"{name}.json"
            meta_path = self.replay / f"{name}.meta.json"
            if not body_path.exists():
                raise FeedError(f"{self.feed}: {path} is not in the replay folder {self.replay}")
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            fetched = Fetched(
                meta["url"],
                meta["status"],
                body_path.read_bytes(),
                {},
                datetime.fromisoformat(meta["fetched_at"]),
            )
            return fetched.json(), body_path, fetched.fetched_at
        assert self.client is not None
        fetched = self.client.get(path, params)
        quota = {h: fetched.headers[h] for h in QUOTA_HEADERS if h in fetched.headers}
        if quota:
            self.quota = quota
            log.info("%s quota: %s", self.feed, ", ".join(f"{k}={v}" for k, v in quota.items()))
        doc = fetched.json()
        kept = self._keep(name, fetched, quota)
        return doc, kept, fetched.fetched_at

    def _keep(self, name: str, fetched: Fetched, quota: dict[str, str]) -> Path | None:
        if self.store is None:
            return None
        self.store.mkdir(parents=True, exist_ok=True)
        body_path = self.store / f"{name}.json"
        body_path.write_bytes(fetched.body)
        meta = {
            "url": fetched.url,  # already redacted by the HTTP client
            "status": fetched.status,
            "fetched_at": fetched.fetched_at.isoformat(),
            "sha256": hashlib.sha256(fetched.body).hexdigest(),
            **({"quota": quota} if quota else {}),
        }
        (self.store / f"{name}.meta.json").write_text(json.dumps(meta, indent=1), encoding="utf-8")
        return body_path
