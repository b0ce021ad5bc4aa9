"""The Chadwick Baseball Bureau Persons Register: Retrosheet ids <-> MLBAM (and Baseball-Reference,
FanGraphs) ids, loaded into ``raw.people`` - the one crosswalk table the history and the live feeds share.

The register is published as sixteen shards ``people-0.csv`` .. ``people-f.csv`` under
``KZONE_REGISTER_URL`` (default the public ``chadwickbureau/register`` data folder); each row is a person
with ``key_retro``, ``key_mlbam``, ``key_bbref``, ``key_fangraphs``, ``name_first``, ``name_last``,
``mlb_played_first`` and ``mlb_played_last`` among other columns.

Licence: "Chadwick Baseball Bureau Persons Register", Open Data Commons Attribution License (ODC-By) 1.0.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from python_models.ingest.cache import HistoryError

log = logging.getLogger(__name__)

REGISTER_CREDIT = (
    'Cross-ids from the "Chadwick Baseball Bureau Persons Register", licensed under the Open Data Commons '
    "Attribution License (ODC-By) 1.0."
)
SHARDS = tuple(f"people-{digit}.csv" for digit in "0123456789abcdef")
COLUMNS = (
    "key_retro",
    "key_mlbam",
    "key_bbref",
    "key_fangraphs",
    "name_first",
    "name_last",
    "mlb_played_first",
    "mlb_played_last",
)


def read_register(paths: list[Path]) -> pd.DataFrame:
    """The register's people that have a Retrosheet id, one row each (the COLUMNS, as text)."""
    frames = []
    for path in paths:
        try:
            frame = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[], encoding="utf-8")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as exc:
            raise HistoryError(f"{path.name}: not a readable register shard ({exc})") from None
        missing = [c for c in COLUMNS if c not in frame.columns]
        if missing:
            raise HistoryError(f"{path.name}: register column(s) {missing} missing")
        frames.append(frame.loc[frame["key_retro"] != "", list(COLUMNS)])
    register = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=list(COLUMNS))
    twice = register["key_retro"].duplicated(keep=False)
    if twice.any():
        log.warning("register: %d Retrosheet ids appear twice; the first row is kept", int(twice.sum()) // 2)
    return register.drop_duplicates("key_retro").reset_index(drop=True)


def people_rows(players: pd.DataFrame, register: pd.DataFrame, first_season: int) -> pd.DataFrame:
    """raw.people rows (as text): every player of the Retrosheet seasons with his cross-ids, plus the
    register's people with a Retrosheet and an MLBAM id who played in the majors since ``first_season`` but
    are not in those seasons yet (names from the register, hands unknown), so the live feed can map them."""
    keys = register.set_index("key_retro")
    known = players.join(keys[["key_mlbam", "key_bbref", "key_fangraphs"]], on="pitcher_id")
    last = pd.to_numeric(register["mlb_played_last"], errors="coerce")
    recent = register[
        (last >= first_season)
        & (register["key_mlbam"] != "")
        & ~register["key_retro"].isin(players["pitcher_id"])
    ]
    extra = pd.DataFrame(
        {
            "pitcher_id": recent["key_retro"],
            "first": recent["name_first"],
            "last": recent["name_last"],
            "throws": "",
            "bats": "",
            "key_mlbam": recent["key_mlbam"],
            "key_bbref": recent["key_bbref"],
            "key_fangraphs": recent["key_fangraphs"],
        }
    )
    people = pd.concat([known, extra], ignore_index=True).fillna("")
    people["throws_retrosplits"] = ""
    return people.sort_values("pitcher_id", kind="stable").reset_index(drop=True).astype("string")
