"""Retrosheet's per-season CSV downloads -> starts, team games and people in the loaders' column sets.

``{KZONE_RETROSHEET_URL}/downloads/{Y}/{Y}csvs.zip`` holds, among others, ``{Y}gameinfo.csv`` (one row per
game: date, game number, site, weather, umpires, game type), ``{Y}teamstats.csv`` (one row per team per game:
batting and pitching lines, manager, starting lineup ``start_l1..9``), ``{Y}pitching.csv`` (one row per
pitcher per game, ``p_gs = 1`` for the starter) and ``{Y}allplayers.csv`` (one row per player per team:
names, bat and throw hands). The build follows the method of the team's prepared files:

1. regular-season games only (``gametype == "regular"``; ties, postponements and suspended games are as
   Retrosheet records them: a postponed game that was never played is simply absent);
2. the starter is the pitching row with ``p_gs == 1``; a doubleheader keeps both games (game number 1, 2);
3. game context from ``gameinfo`` (``innings`` is blank before 2020: every such game was scheduled for 9);
4. the opposing starting lineup from the opponent's ``teamstats`` row, each batter's hand from
   ``allplayers``.

The information used here was obtained free of charge from and is copyrighted by Retrosheet. Interested
parties may contact Retrosheet at "www.retrosheet.org".
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from python_models.ingest.cache import HistoryError

RETROSHEET_NOTICE = (
    "The information used here was obtained free of charge from and is copyrighted by Retrosheet. "
    'Interested parties may contact Retrosheet at "www.retrosheet.org".'
)
MEMBERS = ("gameinfo", "teamstats", "pitching", "allplayers")
REQUIRED_COLUMNS = {
    "gameinfo": (
        "gid", "date", "number", "site", "daynight", "innings", "usedh", "temp", "winddir", "windspeed",
        "sky", "precip", "starttime", "umphome", "gametype",
    ),
    "teamstats": (
        "gid", "team", "opp", "vishome", "mgr", "stattype", "gametype", "b_pa", "b_ab", "b_k", "b_w", "b_h",
        "b_hr", "b_r", "p_ipouts", *(f"start_l{i}" for i in range(1, 10)),
    ),
    "pitching": (
        "gid", "id", "team", "opp", "vishome", "stattype", "gametype", "p_gs", "p_cg", "wp", "lp",
        "p_ipouts", "p_bfp", "p_k", "p_w", "p_iw", "p_h", "p_d", "p_t", "p_hr", "p_r", "p_er", "p_hbp", "p_wp",
    ),
    "allplayers": ("id", "last", "first", "bat", "throw"),
}  # fmt: skip
LINEUP = [f"start_l{i}" for i in range(1, 10)]
REGULAR = "regular"


def season_zip_path(season: int) -> str:
    """Path of a season's download, relative to KZONE_RETROSHEET_URL."""
    return f"/downloads/{season}/{season}csvs.zip"


@dataclass(frozen=True)
class SeasonFiles:
    """The four CSVs of one season, every cell as text."""

    season: int
    gameinfo: pd.DataFrame
    teamstats: pd.DataFrame
    pitching: pd.DataFrame
    allplayers: pd.DataFrame


def read_season_zip(path: Path, season: int) -> SeasonFiles:
    """Open a season's zip and read the four CSVs the build needs; a corrupt zip, a missing file or a missing
    column raises HistoryError naming it."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = {Path(n).name.lower(): n for n in archive.namelist() if not n.endswith("/")}
            frames = {}
            for kind in MEMBERS:
                member = names.get(f"{season}{kind}.csv")
                if member is None:
                    raise HistoryError(
                        f"{path.name}: no {season}{kind}.csv inside (it holds {sorted(names) or 'nothing'}); "
                        "is this Retrosheet's per-season CSV download?"
                    )
                with archive.open(member) as fh:
                    frame = pd.read_csv(
                        fh,
                        dtype=str,
                        keep_default_na=False,
                        na_values=[],
                        encoding="latin-1",
                        usecols=lambda c, kind=kind: c in REQUIRED_COLUMNS[kind],
                    )
                missing = [c for c in REQUIRED_COLUMNS[kind] if c not in frame.columns]
                if missing:
                    raise HistoryError(f"{path.name}/{member}: column(s) {missing} missing")
                frames[kind] = frame
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise HistoryError(f"{path.name} is not a readable zip ({exc})") from None
    except pd.errors.ParserError as exc:
        raise HistoryError(f"{path.name}: a CSV inside cannot be read ({exc})") from None
    return SeasonFiles(season, **frames)


def _int(series: pd.Series) -> pd.Series:
    return pd.to_numeric(series.replace("", pd.NA), errors="coerce").astype("Int64")


def _players(files: SeasonFiles) -> pd.DataFrame:
    """One row per player of the season: name and hands (a player traded mid-season has one row per team
    with the same id, names and hands; the first is kept)."""
    return files.allplayers.drop_duplicates("id").set_index("id")[["first", "last", "bat", "throw"]]


def _regular(frame: pd.DataFrame) -> pd.DataFrame:
    keep = frame["gametype"].str.lower().eq(REGULAR)
    if "stattype" in frame.columns:
        keep &= frame["stattype"].isin(["value", ""])
    return frame[keep]


def _games(files: SeasonFiles) -> pd.DataFrame:
    info = _regular(files.gameinfo).set_index("gid")
    date = pd.to_datetime(info["date"], format="%Y%m%d", errors="coerce")
    bad = info.index[date.isna()]
    if len(bad):
        raise HistoryError(
            f"{files.season}gameinfo.csv: game {bad[0]} has no valid date ({info['date'][bad[0]]!r})"
        )
    innings = info["innings"].where(info["innings"].str.strip() != "", "9")
    temp = pd.to_numeric(info["temp"].replace("", pd.NA), errors="coerce")
    return pd.DataFrame(
        {
            "game_date": date.dt.strftime("%Y-%m-%d"),
            "season": date.dt.year.astype(str),
            "game_number": info["number"],
            "day_night": info["daynight"],
            "park_id": info["site"],
            "use_dh": info["usedh"].str.lower(),
            "scheduled_innings": innings,
            "temp_f": temp.map(lambda t: "" if pd.isna(t) else f"{t:.1f}"),
            "wind_dir": info["winddir"],
            "wind_speed_mph": info["windspeed"],
            "sky": info["sky"],
            "precip": info["precip"],
            "start_time": info["starttime"],
            "umpire_home_id": info["umphome"],
        },
        index=info.index,
    )


def _joined(teams: pd.DataFrame) -> pd.Series:
    return teams[LINEUP[0]].str.cat([teams[c] for c in LINEUP[1:]], sep="|")


def _lineups(files: SeasonFiles) -> pd.DataFrame:
    """Per (game, team): the team's starting lineup ids joined by | and its hand counts."""
    teams = _regular(files.teamstats)
    bats = _players(files)["bat"]
    hands = teams[LINEUP].apply(lambda col: col.map(bats))
    unknown = hands.isna() & teams[LINEUP].ne("")
    if unknown.any(axis=None):
        row = unknown.any(axis=1).idxmax()
        slot = unknown.loc[row].idxmax()
        raise HistoryError(
            f"{files.season}allplayers.csv lacks batter {teams.loc[row, slot]!r} of game "
            f"{teams.loc[row, 'gid']} ({teams.loc[row, 'team']}, {slot})"
        )
    return pd.DataFrame(
        {
            "gid": teams["gid"],
            "team": teams["team"],
            "lineup_ids": _joined(teams),
            "lhb": hands.eq("L").sum(axis=1),
            "rhb": hands.eq("R").sum(axis=1),
            "swb": hands.eq("B").sum(axis=1),
        }
    ).set_index(["gid", "team"])


def _keys(rows: pd.DataFrame, games: pd.DataFrame) -> dict[str, pd.Series]:
    """The columns that place a pitching or teamstats row: its game, date, side and opponent."""
    return {
        "game_id": rows["gid"],
        **{c: rows["gid"].map(games[c]) for c in ("game_date", "season", "game_number")},
        "team": rows["team"],
        "opponent": rows["opp"],
        "is_home": rows["vishome"].eq("h"),
    }


def build_starts(files: SeasonFiles) -> pd.DataFrame:
    """One row per starting pitcher per regular-season game (the raw.pitcher_game_logs columns, as text)."""
    games = _games(files)
    pitching = _regular(files.pitching)
    starts = pitching[pitching["p_gs"] == "1"]
    starts = starts[starts["gid"].isin(games.index)]
    players = _players(files)
    missing = starts.loc[~starts["id"].isin(players.index), ["gid", "id"]]
    if len(missing):
        raise HistoryError(
            f"{files.season}allplayers.csv lacks starter {missing['id'].iloc[0]!r} of game {missing['gid'].iloc[0]}"
        )
    person = players.loc[starts["id"]].set_index(starts.index)
    opp_lineup = _lineups(files).reindex(pd.MultiIndex.from_arrays([starts["gid"], starts["opp"]]))
    opp_lineup.index = starts.index
    throws = person["throw"]
    platoon = opp_lineup["swb"] + opp_lineup["lhb"].where(throws == "R", opp_lineup["rhb"])
    outs = _int(starts["p_ipouts"])
    out = pd.DataFrame(
        {
            **_keys(starts, games),
            "pitcher_id": starts["id"],
            "pitcher_name": person["first"].str.cat(person["last"], sep=" "),
            "pitcher_throws": throws,
            "outs_recorded": starts["p_ipouts"],
            "innings_pitched": (outs / 3).round(4).astype("string"),
            "batters_faced": starts["p_bfp"],
            "strikeouts": starts["p_k"],
            "walks": starts["p_w"],
            "intentional_walks": starts["p_iw"],
            "hits_allowed": starts["p_h"],
            "doubles_allowed": starts["p_d"],
            "triples_allowed": starts["p_t"],
            "home_runs_allowed": starts["p_hr"],
            "runs_allowed": starts["p_r"],
            "earned_runs": starts["p_er"],
            "hit_batters": starts["p_hbp"],
            "wild_pitches": starts["p_wp"],
            "complete_game": starts["p_cg"].eq("1"),
            "decision": pd.Series("ND", index=starts.index)
            .mask(starts["lp"].eq("1"), "L")
            .mask(starts["wp"].eq("1"), "W"),
            **{
                c: starts["gid"].map(games[c])
                for c in (
                    "day_night", "park_id", "use_dh", "scheduled_innings", "temp_f", "wind_dir",
                    "wind_speed_mph", "sky", "precip", "start_time", "umpire_home_id",
                )
            },
            "opp_lineup_lhb": opp_lineup["lhb"],
            "opp_lineup_rhb": opp_lineup["rhb"],
            "opp_lineup_swb": opp_lineup["swb"],
            "opp_lineup_platoon_adv": platoon,
            "opp_lineup_ids": opp_lineup["lineup_ids"],
        }
    )  # fmt: skip
    return _sorted(out).astype("string")


def build_team_games(files: SeasonFiles) -> pd.DataFrame:
    """One row per team per regular-season game (the raw.team_games columns, as text)."""
    games = _games(files)
    teams = _regular(files.teamstats)
    teams = teams[teams["gid"].isin(games.index)]
    pitching = _regular(files.pitching)
    used = pitching.groupby(["gid", "team"]).size()
    starters = pitching[pitching["p_gs"] == "1"].drop_duplicates(["gid", "team"]).set_index(["gid", "team"])
    key = pd.MultiIndex.from_arrays([teams["gid"], teams["team"]])
    starter = starters.reindex(key)
    out = pd.DataFrame(
        {
            **_keys(teams, games),
            "manager_id": teams["mgr"],
            "batting_pa": teams["b_pa"],
            "batting_ab": teams["b_ab"],
            "batting_strikeouts": teams["b_k"],
            "batting_walks": teams["b_w"],
            "batting_hits": teams["b_h"],
            "batting_home_runs": teams["b_hr"],
            "runs": teams["b_r"],
            "pitching_outs": teams["p_ipouts"],
            "pitchers_used": used.reindex(key).to_numpy(),
            "starter_id": starter["id"].to_numpy(),
            "starter_batters_faced": starter["p_bfp"].to_numpy(),
            "lineup_ids": _joined(teams),
        }
    )
    return _sorted(out).astype("string")


def _sorted(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.sort_values(["game_date", "game_id", "is_home"], kind="stable").reset_index(drop=True)


def build_players(seasons: list[SeasonFiles]) -> pd.DataFrame:
    """Every player of the given seasons, names and hands from the latest season he appears in, first row of
    that season when he has several (pitcher_id, first, last, throws, bats)."""
    frames = [f.allplayers.assign(_season=f.season) for f in seasons]
    everyone = pd.concat(frames, ignore_index=True).sort_values("_season", ascending=False, kind="stable")
    latest = everyone.drop_duplicates("id")  # the latest season; within it, the first row (as _players)
    return pd.DataFrame(
        {
            "pitcher_id": latest["id"],
            "first": latest["first"],
            "last": latest["last"],
            "throws": latest["throw"].where(latest["throw"].isin(["L", "R"]), ""),
            "bats": latest["bat"].where(latest["bat"].isin(["L", "R", "B"]), ""),
        }
    ).reset_index(drop=True)
