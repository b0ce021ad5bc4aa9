"""Model files (each kind's own bytes, e.g. XGBoost JSON) and model cards in a local folder (a `gs://`
store is a documented extension).

Layout: <store>/<system_id>/<model_version>.json and <model_version>.card.json. The card records the
sha256 of the model file; loading verifies it, so a corrupt or swapped file is refused, not scored.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import xgboost as xgb

T = TypeVar("T")


class ModelLoadError(RuntimeError):
    """The model file is missing, unreadable, corrupt or does not match its recorded checksum."""


@dataclass
class ModelCard:
    model_version: str
    system_id: str
    feature_set: str | None
    features: list[str]
    trained_through: str
    training_window: list[str]
    training_rows: int
    params: dict[str, Any]
    metrics: dict[str, dict[str, float]]
    sha256: str | None = None
    model_path: str | None = None
    library_versions: dict[str, str] = field(default_factory=dict)
    notes: str = ""
    #: The learned market logistic (python_models.predictors.market_blend): weight, book_slope, intercept, rows.
    market_blend: dict[str, float] = field(default_factory=dict)
    #: The beta calibration of P(over | no push) (python_models.predictors.calibration): a, b, c, rows.
    calibration: dict[str, Any] = field(default_factory=dict)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class ModelStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def paths(self, system_id: str, model_version: str) -> tuple[Path, Path]:
        folder = self.root / system_id
        return folder / f"{model_version}.json", folder / f"{model_version}.card.json"

    def save(self, card: ModelCard, artifact: xgb.Booster | bytes | None) -> ModelCard:
        """Write the model (an XGBoost booster, or a system's own serialised artifact) and its card."""
        model_path, card_path = self.paths(card.system_id, card.model_version)
        if artifact is not None:
            raw = artifact if isinstance(artifact, bytes) else bytes(artifact.save_raw(raw_format="json"))
            _atomic_write(model_path, raw)
            card.sha256 = sha256_of(model_path)
            card.model_path = str(model_path)
        _atomic_write(card_path, json.dumps(asdict(card), indent=2, sort_keys=True).encode())
        return card

    def load_card(self, system_id: str, model_version: str) -> ModelCard | None:
        """A version's card (None when the store has none, e.g. a pinned model file)."""
        _, card_path = self.paths(system_id, model_version)
        if not card_path.exists():
            return None
        return ModelCard(**json.loads(card_path.read_text(encoding="utf-8")))

    @staticmethod
    def _verified(path: Path, expected_sha256: str | None) -> Path:
        path = Path(path)
        if not path.exists():
            raise ModelLoadError(f"model file {path} does not exist")
        if expected_sha256 and sha256_of(path) != expected_sha256:
            raise ModelLoadError(
                f"model file {path} does not match its recorded sha256 (corrupt or replaced)"
            )
        return path

    @staticmethod
    def load(path: Path, expected_sha256: str | None, loader: Callable[[bytes], T]) -> T:
        """Load and verify a model file with its kind's ``loader`` (a predictor's from_bytes); any problem
        is a ModelLoadError naming the file."""
        path = ModelStore._verified(path, expected_sha256)
        try:
            return loader(path.read_bytes())
        except (xgb.core.XGBoostError, ValueError, KeyError, OSError) as exc:
            raise ModelLoadError(f"model file {path} cannot be loaded: {str(exc).splitlines()[0]}") from exc
