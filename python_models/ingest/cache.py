"""The download cache of the history files (Retrosheet season zips, Chadwick register shards).

Every file lands in ``KZONE_CACHE_DIR/history/`` and is recorded in ``manifest.json`` beside it with its URL,
size, sha256 and fetch time. A file already in the cache (and still matching its record) is not downloaded
again unless ``refresh`` asks; an interrupted download resumes from its ``.part`` file (see
:meth:`python_models.ingest.http.HttpClient.download`); ``offline`` serves the cache alone.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from python_models.ingest.http import HttpClient

log = logging.getLogger(__name__)

MANIFEST = "manifest.json"

# name of the file -> a callback receiving (bytes so far, total bytes or None): the CLI's progress bar
ProgressFactory = Callable[[str], Callable[[int, int | None], None]]


class HistoryError(RuntimeError):
    """The history cannot be built as asked; the message says which file and what to do."""


@dataclass(frozen=True)
class CachedFile:
    """A file of the cache and its record."""

    path: Path
    url: str
    size: int
    sha256: str
    fetched_at: str
    downloaded: bool  # fetched in this run (False: served from the cache)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class DownloadCache:
    """The cache folder and its manifest (one JSON object: relative path -> record)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    @property
    def manifest_path(self) -> Path:
        return self.root / MANIFEST

    def _manifest(self) -> dict[str, dict]:
        if not self.manifest_path.exists():
            return {}
        try:
            return json.loads(self.manifest_path.read_text(encoding="utf-8"))
        except ValueError:
            log.warning("%s is unreadable: every file will be checked again", self.manifest_path)
            return {}

    def _write_manifest(self, manifest: dict[str, dict]) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        tmp = self.manifest_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(manifest, indent=2, sort_keys=True), encoding="utf-8")
        tmp.replace(self.manifest_path)

    def cached(self, rel: str) -> CachedFile | None:
        """The cached file at ``rel`` when it exists and matches its recorded size and sha256."""
        record = self._manifest().get(rel)
        path = self.root / rel
        if record is None or not path.exists() or path.stat().st_size != record["size"]:
            return None
        if file_sha256(path) != record["sha256"]:
            log.warning("%s differs from its recorded sha256: it will be downloaded again", path)
            return None
        return CachedFile(path, record["url"], record["size"], record["sha256"], record["fetched_at"], False)

    def fetch(
        self,
        client: HttpClient,
        url_path: str,
        rel: str,
        *,
        offline: bool = False,
        refresh: bool = False,
        progress: ProgressFactory | None = None,
    ) -> CachedFile:
        """The file ``rel`` of the cache, downloaded from ``url_path`` (relative to the client's base URL)
        when absent, altered or ``refresh`` is asked."""
        hit = self.cached(rel)
        if hit is not None and (not refresh or offline):
            return hit
        if offline:
            raise HistoryError(
                f"{rel} is not in the cache {self.root} and --offline forbids downloading it: run once "
                "without --offline (or set KZONE_CACHE_DIR to a cache that has it)"
            )
        dest = self.root / rel
        got = client.download(url_path, dest, progress=progress(Path(rel).name) if progress else None)
        entry = CachedFile(
            dest, got.url, got.size, file_sha256(dest), got.fetched_at.isoformat(timespec="seconds"), True
        )
        manifest = self._manifest()
        manifest[rel] = {k: v for k, v in asdict(entry).items() if k not in {"path", "downloaded"}}
        self._write_manifest(manifest)
        log.info("downloaded %s (%d bytes, sha256 %s)", got.url, got.size, entry.sha256[:12])
        return entry

    def forget(self, rel: str) -> None:
        """Drop a file and its record (a corrupt download: the next run fetches it again)."""
        (self.root / rel).unlink(missing_ok=True)
        manifest = self._manifest()
        if manifest.pop(rel, None) is not None:
            self._write_manifest(manifest)
