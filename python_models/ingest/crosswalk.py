"""One identity per person: MLBAM ids (what the live feeds speak) to this warehouse's ids (Retrosheet's).

``raw.people`` is THE crosswalk table: its ``pitcher_id`` is the Retrosheet id and ``key_mlbam`` the MLB
Stats API person id (filled by ``kzone load-people`` and by the Chadwick register load). Pitchers, and
batters in a lineup (``opp_lineup_ids``, ``lineup_ids``), all go through :class:`Crosswalk`.

**Someone the crosswalk does not know yet** (a debutant, a batter the register load has not brought) gets
the stable *provisional id* ``mlb<MLBAM id>`` (e.g. ``mlb808967``): a Retrosheet id never has that form
(four letters of the last name, one of the first, three digits). ``kzone fetch`` writes him into
``raw.people`` under that id, with his MLBAM id, name and hands from ``/api/v1/people``, so he is scored
from whatever history and priors exist, like any pitcher with few starts.

**Merging.** When a later people/register load maps that MLBAM id to a Retrosheet id, :func:`merge_provisional`
(run by every ``kzone fetch``/``kzone morning`` and after ``kzone load-people``) rewrites the provisional id
to the Retrosheet id in every raw table that holds person ids (pitcher ids, starters, lineups, lines,
injured list), recomputing each row's hash, and drops the provisional ``raw.people`` row. The history the
feed gave him under the provisional id is then his history under his Retrosheet id.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pandas as pd

from python_models.ingest.loaders import load_frame
from python_models.warehouse.base import Warehouse
from python_models.warehouse.raw_tables import (
    GAME_LOGS,
    INJURED_LIST,
    PEOPLE,
    PROBABLE_STARTERS,
    STRIKEOUT_LINES,
    TEAM_GAMES,
)
from python_models.warehouse.tables import TableSpec

log = logging.getLogger(__name__)

PROVISIONAL_PREFIX = "mlb"
_PROVISIONAL = re.compile(rf"^{PROVISIONAL_PREFIX}(\d+)$")
# raw tables and the columns in them that hold a person id (a single id, or ids joined by |)
PERSON_COLUMNS: tuple[tuple[TableSpec, tuple[str, ...]], ...] = (
    (GAME_LOGS, ("pitcher_id", "opp_lineup_ids")),
    (TEAM_GAMES, ("starter_id", "lineup_ids")),
    (PROBABLE_STARTERS, ("pitcher_id",)),
    (STRIKEOUT_LINES, ("pitcher_id",)),
    (INJURED_LIST, ("pitcher_id",)),
)


def provisional_id(mlbam: int) -> str:
    """The stable id of a person the crosswalk does not know yet."""
    return f"{PROVISIONAL_PREFIX}{int(mlbam)}"


def provisional_mlbam(person_id: str) -> int | None:
    """The MLBAM id inside a provisional id (None for a Retrosheet id)."""
    found = _PROVISIONAL.match(str(person_id))
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Person:
    person_id: str
    throws: str | None
    bats: str | None


@dataclass
class Crosswalk:
    """MLBAM id -> person, read from raw.people (a Retrosheet id wins over a provisional one)."""

    people: dict[int, Person] = field(default_factory=dict)

    @classmethod
    def from_warehouse(cls, wh: Warehouse) -> Crosswalk:
        if not wh.table_exists(PEOPLE.layer, PEOPLE.name):
            return cls()
        rows = wh.query(
            f"select pitcher_id, key_mlbam, throws, bats from {wh.relation(PEOPLE.layer, PEOPLE.name)} "
            "where key_mlbam is not null"
        )
        people: dict[int, Person] = {}
        for r in rows.itertuples(index=False):
            person = Person(str(r.pitcher_id), _text(r.throws), _text(r.bats))
            mlbam = int(r.key_mlbam)
            known = people.get(mlbam)
            if known is None or provisional_mlbam(known.person_id) is not None:
                people[mlbam] = person
        return cls(people)

    def knows(self, mlbam: int) -> bool:
        return int(mlbam) in self.people

    def person_id(self, mlbam: int) -> str:
        """The warehouse id of an MLBAM id: his Retrosheet id when known, else his provisional id."""
        person = self.people.get(int(mlbam))
        return person.person_id if person else provisional_id(mlbam)

    def unknown(self, mlbam_ids: Iterable[int]) -> list[int]:
        return sorted({int(i) for i in mlbam_ids if not self.knows(i)})

    def person(self, mlbam: int) -> Person | None:
        return self.people.get(int(mlbam))

    def schedule_people(self) -> dict[int, tuple[str, str | None]]:
        """The mapping the schedule parser takes: MLBAM id -> (pitcher_id, throws)."""
        return {mlbam: (p.person_id, p.throws) for mlbam, p in self.people.items()}


def _text(value: object) -> str | None:
    return None if value is None or (not isinstance(value, str) and pd.isna(value)) else str(value)


def _rewrite(value: object, mapping: dict[str, str]) -> object:
    text = _text(value)
    if text is None:
        return value
    return "|".join(mapping.get(part, part) for part in text.split("|"))


def merge_provisional(wh: Warehouse) -> dict[str, str]:
    """Rewrite every provisional id whose MLBAM id raw.people now maps to a Retrosheet id; returns the
    {provisional: Retrosheet} pairs merged (empty when nothing was to merge)."""
    if not wh.table_exists(PEOPLE.layer, PEOPLE.name):
        return {}
    people = wh.relation(PEOPLE.layer, PEOPLE.name)
    rows = wh.query(f"select pitcher_id, key_mlbam from {people} where key_mlbam is not null")
    retro = {
        int(r.key_mlbam): str(r.pitcher_id)
        for r in rows.itertuples(index=False)
        if provisional_mlbam(r.pitcher_id) is None
    }
    mapping = {
        str(r.pitcher_id): retro[int(r.key_mlbam)]
        for r in rows.itertuples(index=False)
        if provisional_mlbam(r.pitcher_id) is not None and int(r.key_mlbam) in retro
    }
    if not mapping:
        return {}
    for spec, columns in PERSON_COLUMNS:
        if not wh.table_exists(spec.layer, spec.name):
            continue
        rel = wh.relation(spec.layer, spec.name)
        where = " or ".join(f"{c} like @like" for c in columns)  # narrowed exactly below
        found = wh.query(f"select * from {rel} where {where}", {"like": f"%{PROVISIONAL_PREFIX}%"})
        touched = pd.Series(False, index=found.index)
        for column in columns:
            touched |= pd.Series(
                [_text(v) is not None and _rewrite(v, mapping) != v for v in found[column]], index=found.index
            )
        found = found[touched]
        if found.empty:
            continue
        keys = found[list(spec.key)].copy()
        for column in columns:
            found[column] = [_rewrite(v, mapping) for v in found[column]]
        content = [c for c in spec.content_columns() if c in found.columns]
        batch = found[content].drop_duplicates(subset=list(spec.key), keep="last")
        _delete_keys(wh, spec, keys)
        load_frame(wh, spec, batch.reset_index(drop=True), _text(found["_source_file"].iloc[0]) or "merge")
        log.info("crosswalk: %d row(s) of %s moved to Retrosheet ids", len(batch), spec.name)
    wh.execute(
        f"delete from {people} where pitcher_id in (select * from unnest(@ids))", {"ids": list(mapping)}
    )
    log.info("crosswalk: merged %d provisional id(s): %s", len(mapping), mapping)
    return mapping


def _delete_keys(wh: Warehouse, spec: TableSpec, keys: pd.DataFrame) -> None:
    rel = wh.relation(spec.layer, spec.name)
    for row in keys.drop_duplicates().itertuples(index=False):
        clause = " and ".join(f"{k} = @k{i}" for i, k in enumerate(spec.key))
        wh.execute(f"delete from {rel} where {clause}", {f"k{i}": v for i, v in enumerate(row)})
