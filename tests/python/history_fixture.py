"""Small Retrosheet season zips and Chadwick register shards in the real shapes, written for the tests.

The headers are those of Retrosheet's ``{Y}gameinfo.csv``, ``{Y}teamstats.csv``, ``{Y}pitching.csv`` and
``{Y}allplayers.csv`` and of the register's ``people-X.csv``; the rows are invented. Each season has:
- a single game (NYA at BOS) and a doubleheader (TOR at TBA, game numbers 1 and 2, seven innings each);
- a postponed game (NYA at TOR the day after) that is absent from every file, as Retrosheet leaves it;
- a World Series game (gametype ``worldseries``), which the build must drop;
- a starter, ``ghosp001``, whom the register does not know.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path


def _header(text: str) -> list[str]:
    return text.split(",")


GAMEINFO = _header(
    "gid,visteam,hometeam,site,date,number,starttime,daynight,innings,tiebreaker,usedh,htbf,timeofgame,"
    "attendance,fieldcond,precip,sky,temp,winddir,windspeed,oscorer,forfeit,suspend,umphome,ump1b,ump2b,ump3b,"
    "umplf,umprf,wp,lp,save,gametype,vruns,hruns,wteam,lteam,line,batteries,lineups,box,pbp,season"
)
TEAMSTATS = _header(
    "gid,team,"
    + ",".join(f"inn{i}" for i in range(1, 29))
    + ",lob,mgr,stattype,b_pa,b_ab,b_r,b_h,b_d,b_t,b_hr,b_rbi,b_sh,b_sf,b_hbp,b_w,b_iw,b_k,b_sb,b_cs,b_gdp,b_xi,"
    "b_roe,p_ipouts,p_noout,p_bfp,p_h,p_d,p_t,p_hr,p_r,p_er,p_w,p_iw,p_k,p_hbp,p_wp,p_bk,p_sh,p_sf,p_sb,p_cs,"
    "p_pb,d_po,d_a,d_e,d_dp,d_tp,d_pb,d_wp,d_sb,d_cs,"
    + ",".join(f"start_l{i}" for i in range(1, 10))
    + ","
    + ",".join(f"start_f{i}" for i in range(1, 11))
    + ",date,number,site,vishome,opp,win,loss,tie,gametype,box,pbp"
)
PITCHING = _header(
    "gid,id,team,p_seq,stattype,p_ipouts,p_noout,p_bfp,p_h,p_d,p_t,p_hr,p_r,p_er,p_w,p_iw,p_k,p_hbp,p_wp,p_bk,"
    "p_sh,p_sf,p_sb,p_cs,p_pb,wp,lp,save,p_gs,p_gf,p_cg,date,number,site,vishome,opp,win,loss,tie,gametype,box,"
    "pbp"
)
ALLPLAYERS = _header(
    "id,last,first,bat,throw,team,g,g_p,g_sp,g_rp,g_c,g_1b,g_2b,g_3b,g_ss,g_lf,g_cf,g_rf,g_of,g_dh,g_ph,g_pr,"
    "first_g,last_g"
)
REGISTER = _header(
    "key_person,key_uuid,key_mlbam,key_retro,key_bbref,key_bbref_minors,key_fangraphs,key_npb,key_sr_nfl,"
    "key_sr_nba,key_sr_nhl,key_wikidata,name_last,name_first,name_given,name_suffix,name_matrilineal,name_nick,"
    "birth_year,birth_month,birth_day,death_year,death_month,death_day,pro_played_first,pro_played_last,"
    "mlb_played_first,mlb_played_last,col_played_first,col_played_last,pro_managed_first,pro_managed_last,"
    "mlb_managed_first,mlb_managed_last,col_managed_first,col_managed_last,pro_umpired_first,pro_umpired_last,"
    "mlb_umpired_first,mlb_umpired_last"
)

TEAMS = ("NYA", "BOS", "TOR", "TBA")
PARKS = {"BOS": "BOS07", "TBA": "STP01", "TOR": "TOR02", "NYA": "NYC21"}
# starters per team (the first of each team is a left-hander); ghosp001 is unknown to the register
STARTERS = {"NYA": ["colel001", "cortn001"], "BOS": ["salec001", "eovan001"], "TOR": ["ghosp001", "berrj001"],
            "TBA": ["mcclr001", "glasz001"]}  # fmt: skip
RELIEVER = {team: f"{team.lower()}rp001" for team in TEAMS}
UNREGISTERED = "ghosp001"
HANDS = ("L", "R", "B", "R", "R", "L", "R", "R", "R")  # batting hands of each team's batters 1..9


def batters(team: str) -> list[str]:
    return [f"{team.lower()}b{slot:03d}" for slot in range(1, 10)]


def _row(header: list[str], **values: object) -> dict[str, str]:
    return {column: str(values.get(column, "")) for column in header}


def _csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def games(season: int) -> list[dict[str, object]]:
    """The games in the files (the postponed NYA at TOR of day 12 is, like in Retrosheet, absent)."""
    return [
        {"gid": f"BOS{season}04100", "vis": "NYA", "home": "BOS", "day": "0410", "number": 0, "innings": 9,
         "type": "regular", "start": 0, "k": (7, 5)},
        {"gid": f"TBA{season}04111", "vis": "TOR", "home": "TBA", "day": "0411", "number": 1, "innings": 7,
         "type": "regular", "start": 0, "k": (4, 9)},
        {"gid": f"TBA{season}04112", "vis": "TOR", "home": "TBA", "day": "0411", "number": 2, "innings": 7,
         "type": "regular", "start": 1, "k": (3, 2)},
        {"gid": f"BOS{season}10280", "vis": "NYA", "home": "BOS", "day": "1028", "number": 0, "innings": 9,
         "type": "worldseries", "start": 1, "k": (11, 10)},
    ]  # fmt: skip


def season_zip(season: int) -> bytes:
    """A season's ``{Y}csvs.zip`` with the four CSVs the build reads (plus an unread batting file)."""
    info, teams, pitching, players = [], [], [], {}
    for game in games(season):
        gid, vis, home, number = game["gid"], game["vis"], game["home"], game["number"]
        date = f"{season}{game['day']}"
        starters = {vis: STARTERS[vis][game["start"]], home: STARTERS[home][game["start"]]}
        info.append(
            _row(GAMEINFO, gid=gid, visteam=vis, hometeam=home, site=PARKS[home], date=date, number=number,
                 starttime="7:10PM", daynight="night", innings=game["innings"] if season >= 2020 else "",
                 usedh="true", precip="none", sky="cloudy", temp=61, winddir="ltor", windspeed=8,
                 umphome="umpa901", wp=starters[home], lp=starters[vis], gametype=game["type"], season=season)
        )  # fmt: skip
        for team, opp, side, strikeouts in ((vis, home, "v", game["k"][0]), (home, vis, "h", game["k"][1])):
            common = dict(gid=gid, date=date, number=number, site=PARKS[home], vishome=side, opp=opp,
                          gametype=game["type"], box="y", pbp="y")  # fmt: skip
            lineup = batters(team)
            teams.append(
                _row(TEAMSTATS, team=team, mgr=f"{team.lower()}mg01", stattype="value", b_pa=36, b_ab=32,
                     b_r=3, b_h=8, b_hr=1, b_w=3, b_k=strikeouts + 2, p_ipouts=game["innings"] * 3,
                     **{f"start_l{i + 1}": lineup[i] for i in range(9)}, start_f1=starters[team], **common)
            )  # fmt: skip
            won = side == "h"
            pitching.append(
                _row(PITCHING, id=starters[team], team=team, p_seq=1, stattype="value", p_ipouts=15, p_bfp=22,
                     p_h=5, p_d=1, p_hr=1, p_r=2, p_er=2, p_w=2, p_iw=0, p_k=game["k"][0 if side == "v" else 1],
                     p_hbp=0, p_wp=0, p_gs=1, wp=1 if won else "", lp="" if won else 1, **common)
            )  # fmt: skip
            pitching.append(
                _row(PITCHING, id=RELIEVER[team], team=team, p_seq=2, stattype="value",
                     p_ipouts=game["innings"] * 3 - 15, p_bfp=9, p_k=2, **common)
            )  # fmt: skip
            for slot, batter in enumerate(batters(team)):
                players[batter] = _row(ALLPLAYERS, id=batter, last=f"Batter{slot + 1}", first=team.title(),
                                       bat=HANDS[slot], throw="R", team=team)  # fmt: skip
            for pitcher in (*STARTERS[team], RELIEVER[team]):
                throw = "L" if pitcher == STARTERS[team][0] else "R"
                players[pitcher] = _row(ALLPLAYERS, id=pitcher, last=pitcher[:4].title(), first="Pat", bat="R",
                                        throw=throw, team=team)  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{season}gameinfo.csv", _csv(GAMEINFO, info))
        archive.writestr(f"{season}teamstats.csv", _csv(TEAMSTATS, teams))
        archive.writestr(f"{season}pitching.csv", _csv(PITCHING, pitching))
        archive.writestr(f"{season}allplayers.csv", _csv(ALLPLAYERS, list(players.values())))
        archive.writestr(f"{season}batting.csv", "gid,id,team\n")
    return buffer.getvalue()


def register_shards() -> dict[str, str]:
    """``people-0.csv`` .. ``people-f.csv``: every starter but ``ghosp001`` with an MLBAM id, spread over
    the shards by the first hex digit of an invented ``key_person`` as the real register is."""
    rows: dict[str, list[dict[str, str]]] = {f"people-{d}.csv": [] for d in "0123456789abcdef"}
    known = [p for team in TEAMS for p in STARTERS[team] if p != UNREGISTERED]
    for n, retro in enumerate(known):
        key = f"{'0123456789abcdef'[n % 16]}{n:07x}"
        rows[f"people-{key[0]}.csv"].append(
            _row(REGISTER, key_person=key, key_mlbam=600000 + n, key_retro=retro, key_bbref=f"{retro[:5]}01",
                 key_fangraphs=10000 + n, name_last=retro[:4].title(), name_first="Pat", mlb_played_first=2015,
                 mlb_played_last=2022)
        )  # fmt: skip
    # a 2022 debutant whose Retrosheet id is known to the register only (the live feed needs him too)
    rows["people-f.csv"].append(
        _row(REGISTER, key_person="f1234567", key_mlbam=699999, key_retro="rookr001", name_last="Rookie",
             name_first="Ray", mlb_played_first=2022, mlb_played_last=2022)
    )  # fmt: skip
    return {name: _csv(REGISTER, shard) for name, shard in rows.items()}


def serve_history(server, seasons: tuple[int, ...] = (2021, 2022)) -> None:
    """Let a pytest-httpserver answer as Retrosheet (under /) and as the register (under /register)."""
    for season in seasons:
        server.expect_request(f"/downloads/{season}/{season}csvs.zip").respond_with_data(
            season_zip(season), content_type="application/zip"
        )
    for name, text in register_shards().items():
        server.expect_request(f"/register/{name}").respond_with_data(text, content_type="text/csv")


def write_zip(folder: Path, season: int) -> Path:
    path = folder / f"{season}csvs.zip"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(season_zip(season))
    return path
