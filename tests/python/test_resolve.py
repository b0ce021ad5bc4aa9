"""The one resolver of names and teams: normalisation, slate first, team narrowing, aliases, no guesses."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from python_models.ingest.resolve import (
    PitcherDirectory,
    TeamDirectory,
    normalize_name,
    read_aliases,
    team_directory,
)

from .conftest import REAL_DATA, requires_real_data


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("J.A. Happ", "JA Happ"),
        ("J. A. Happ", "j.a. happ"),
        ("José Ramírez", "Jose Ramirez"),
        ("Ronald Acuña Jr.", "Ronald Acuna"),
        ("Vladimir Guerrero Jr", "VLADIMIR GUERRERO"),
        ("Ken Griffey III", "Ken Griffey"),
        ("Hyun-Jin Ryu", "Hyun Jin Ryu"),
        ("Riley O`Brien", "Riley O'Brien"),
        ("Riley O’Brien", "Riley OBrien"),
        ("  Gerrit   Cole ", "Gerrit Cole"),
        ("Cole, Gerrit", "Gerrit Cole"),
    ],
)
def test_spellings_of_one_name_normalise_alike(a: str, b: str) -> None:
    assert normalize_name(a) == normalize_name(b)


@pytest.mark.parametrize(("a", "b"), [("Zach Thompson", "Zack Thompson"), ("Luis Ortiz", "Luis Ortega")])
def test_different_names_stay_different(a: str, b: str) -> None:
    assert normalize_name(a) != normalize_name(b)


@pytest.mark.parametrize(
    ("form", "code"),
    [
        ("New York Yankees", "NYA"),
        ("NYY", "NYA"),
        ("nya", "NYA"),
        ("Chicago White Sox", "CHA"),
        ("CWS", "CHA"),
        ("CHW", "CHA"),
        ("Los Angeles Dodgers", "LAN"),
        ("LAD", "LAN"),
        ("Cleveland Indians", "CLE"),
        ("Cleveland Guardians", "CLE"),
        ("Oakland Athletics", "OAK"),
        ("Athletics", "OAK"),
        ("ATH", "OAK"),
        ("St. Louis Cardinals", "SLN"),
        ("Washington Nationals", "WAS"),
        ("WSH", "WAS"),
        ("Los Angeles Angels of Anaheim", "ANA"),
    ],
)
def test_every_form_of_a_team_maps_to_its_retrosheet_code(form: str, code: str) -> None:
    assert team_directory().code(form) == code


def test_mlb_team_ids_map_and_unknown_forms_do_not() -> None:
    teams = team_directory()
    assert teams.by_mlb_id(147).retro_code == "NYA" and teams.by_mlb_id("158").retro_code == "MIL"
    assert {teams.by_mlb_id(i).retro_code for i in (108, 109, 110, 111, 112, 113, 114, 115, 116, 117)} == {
        "ANA", "ARI", "BAL", "BOS", "CHN", "CIN", "CLE", "COL", "DET", "HOU"
    }  # fmt: skip
    assert teams.by_mlb_id(999) is None and teams.code("Brooklyn Dodgers") is None


def test_a_team_form_naming_two_teams_is_refused() -> None:
    from python_models.ingest.resolve import Team

    with pytest.raises(ValueError, match="names two teams"):
        TeamDirectory(
            [
                (Team("NYA", "NYY", "New York Yankees", 147), ["NY"], []),
                (Team("NYN", "NYM", "New York Mets", 121), ["NY"], []),
            ]
        )


def _directory(aliases: dict[str, set[str]] | None = None) -> PitcherDirectory:
    rows = [
        ("garcl005", "Luis García", "SDN", "2020-08-01", "SDN202008010"),
        ("garcl007", "Luis Garcia", "HOU", "2021-05-01", "HOU202105010"),
        ("garcl007", "Luis Garcia", "HOU", "2021-05-06", "HOU202105060"),
        ("thomz001", "Zach Thompson", "MIA", "2021-06-01", "MIA202106010"),
        ("thomz002", "Zack Thompson", "SLN", "2022-06-01", "SLN202206010"),
        ("carmf001", "Roberto Hernandez", "TOR", "2016-05-01", "TOR201605010"),
        ("happj001", "J. A. Happ", "NYA", "2021-04-01", "NYA202104010"),
    ]
    frame = pd.DataFrame(rows, columns=["pitcher_id", "pitcher_name", "team", "game_date", "game_id"])
    return PitcherDirectory(frame, aliases if aliases is not None else {})


def test_the_date_s_starters_decide_first() -> None:
    res = _directory().resolve("Luis Garcia", date(2021, 5, 6))
    assert (res.pitcher_id, res.via, res.game_id) == ("garcl007", "slate", "HOU202105060")


def test_an_ambiguous_name_is_never_guessed() -> None:
    res = _directory().resolve("Luis Garcia", date(2021, 7, 1))  # neither starts that day
    assert not res.resolved
    assert "ambiguous" in res.reason and "garcl005" in res.reason and "garcl007" in res.reason


def test_a_team_narrows_the_candidates_in_mlb_or_retrosheet_code_or_full_name() -> None:
    directory = _directory()
    for team in ("SD", "SDN", "San Diego Padres"):
        assert directory.resolve("Luis Garcia", date(2021, 7, 1), [team]).pitcher_id == "garcl005"
    wrong = directory.resolve("Luis Garcia", date(2021, 7, 1), ["NYY"])
    assert not wrong.resolved and "seen with other teams" in wrong.reason


def test_zach_and_zack_thompson_are_two_pitchers() -> None:
    directory = _directory()
    assert directory.resolve("Zach Thompson", None).pitcher_id == "thomz001"
    assert directory.resolve("zack thompson", None).pitcher_id == "thomz002"


def test_aliases_from_the_seed_resolve_names_the_warehouse_never_saw() -> None:
    directory = _directory(read_aliases())
    assert directory.resolve("Fausto Carmona", date(2016, 6, 1)).pitcher_id == "carmf001"
    assert directory.resolve("JA Happ", date(2021, 4, 1)).pitcher_id == "happj001"
    unknown = directory.resolve("Zach Wheeler", date(2021, 4, 1))  # alias of a pitcher not loaded here
    assert not unknown.resolved and "wheez001" in unknown.reason
    assert "no pitcher named 'Nobody Atall'" in directory.resolve("Nobody Atall", None).reason


@requires_real_data
@pytest.mark.realdata
def test_every_real_2014_2022_start_resolves_by_name_and_team_on_its_date() -> None:
    """9 seasons of real starts: each (date, name, team) resolves to its Retrosheet id, including the
    renamed pitchers and the two Luis Garcias; the alias seed's ids all exist in the real file."""
    starts = pd.read_csv(
        REAL_DATA / "starters_2014_2022.csv.gz",
        usecols=["game_id", "game_date", "team", "pitcher_id", "pitcher_name"],
    )
    directory = PitcherDirectory(starts, read_aliases())
    teams = team_directory()
    misses = []
    for row in starts.itertuples(index=False):
        day = date.fromisoformat(row.game_date)
        mlb_code = teams.find(row.team).team_code  # the file's Retrosheet code, given as a book would
        res = directory.resolve(row.pitcher_name.upper(), day, [mlb_code])
        if res.pitcher_id != row.pitcher_id:
            misses.append((row.game_date, row.pitcher_name, res.reason))
    assert not misses, misses[:5]
    known = set(starts["pitcher_id"])
    assert {pid for ids in read_aliases().values() for pid in ids} <= known
    assert directory.resolve("Zach Wheeler", date(2022, 7, 1)).pitcher_id == "wheez001"
    assert directory.resolve("Zack Thompson", date(2022, 7, 1)).pitcher_id == "thomz002"
    assert directory.resolve("Zach Thompson", date(2022, 7, 1)).pitcher_id == "thomz001"
    luis = directory.resolve("Luis Garcia", date(2020, 8, 15))
    assert not luis.resolved and "ambiguous" in luis.reason
