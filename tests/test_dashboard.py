"""The dashboard's figures (统计概览) equal a hand count of a small city database."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

from app.services import dashboard, figures
from tests.dashboard_support import CITY_TRAININGS, HAND_COUNT, TODAY

ROOT = Path(__file__).resolve().parents[1]


def test_every_division_figure_equals_the_hand_count(city_ws):
    board = dashboard.collect(city_ws, today=TODAY)
    shown = {row.name: {key: row.value(key) for key in HAND_COUNT["芦山县"]} for row in board.rows}
    for name, expected in HAND_COUNT.items():
        assert shown[name] == expected, name
    # every county is listed on the city's installation, the empty ones with zeros
    assert [r.name for r in board.rows][1:] == ["雨城区", "名山区", "荥经县", "汉源县", "石棉县", "天全县", "芦山县",
                                                "宝兴县", "芦天宝飞地产业园区"]
    assert all(not any(r.counts.as_dict().values()) for r in board.rows if r.name in ("名山区", "石棉县"))
    city_row = board.rows[0]
    assert city_row.name == "雅安市（市本级）"
    assert (city_row.counts.trainings, city_row.counts.attendance) == (2, 75)
    assert city_row.counts.sub_projects == 0


def test_the_whole_city_sums_the_divisions_and_its_own_trainings(city_ws):
    board = dashboard.collect(city_ws, today=TODAY)
    total = board.total.counts
    assert board.total.name == "全市合计"
    for key in HAND_COUNT["芦山县"]:
        assert getattr(total, key) == sum(c[key] for c in HAND_COUNT.values()) + CITY_TRAININGS.get(key, 0), key
    assert (total.sub_projects, total.visited, total.problems_open, total.problems_overdue) == (5, 4, 6, 4)
    assert (total.trainings, total.attendance, total.certificates) == (4, 107, 2)


def test_overdue_is_judged_on_the_given_day_by_the_ledgers_rule(city_ws):
    early = dashboard.collect(city_ws, today=date(2015, 4, 30)).total.counts
    # on 2015-04-30 nothing was past its deadline yet (the first deadline is that day)
    assert early.problems_overdue == 0 and early.with_overdue_problems == 0
    later = dashboard.collect(city_ws, today=date(2016, 8, 2)).total.counts
    # by then every open problem is overdue, 雨城区's acceptance opinion (due 2016-08-01) and A1's too
    assert later.problems_overdue == later.problems_open == 6


def test_monthly_progress_is_cumulative_from_the_first_month(city_ws):
    board = dashboard.collect(city_ws, today=TODAY)
    assert board.months[0] == "2015-03" and board.months[-1] == "2016-05" and len(board.months) == 15
    at = board.months.index
    visited = board.progress["visited"]
    assert (visited[at("2015-03")], visited[at("2015-08")], visited[at("2015-09")], visited[at("2016-01")],
            visited[at("2016-04")]) == (1, 1, 2, 3, 4)
    assert board.progress["accepted"][at("2016-04")] == 0 and board.progress["accepted"][-1] == 2
    assert board.progress["certificates"][-1] == 2  # the reissue voided one: two valid
    lushan = next(r.uid for r in board.rows if r.name == "芦山县")
    assert board.progress_by_division[lushan]["visited"][-1] == 2
    assert len(board.progress_by_division[lushan]["visited"]) == len(board.months)


def test_a_year_counts_its_events_and_progress_up_to_its_end(city_ws):
    by_division = {}
    tally = figures.tally(city_ws, figures.Period.year(2015), today=TODAY)
    names = {uid: name for name, uid in _uids(city_ws).items()}
    for uid, counts in tally.by_division().items():
        by_division[names.get(uid, uid)] = counts
    lushan = by_division["芦山县"]
    assert (lushan.visited, lushan.problems_found, lushan.problems_open, lushan.problems_overdue,
            lushan.problems_rectified, lushan.problems_verified) == (1, 4, 2, 1, 1, 1)
    assert (lushan.acceptances_passed, lushan.accepted, lushan.certificates, lushan.trainings) == (0, 0, 0, 0)
    assert by_division["雨城区"].trainings == 1 and by_division["雨城区"].visited == 0
    assert by_division["宝兴县"].problems_verified == 1
    year = figures.tally(city_ws, figures.Period.year(2016), today=TODAY)
    total = year.total()
    assert (total.visited, total.problems_found, total.acceptances_passed, total.acceptances_failed) == (4, 5, 2, 2)
    assert (total.certificates, total.certificates_issued, total.trainings, total.attendance) == (2, 2, 3, 95)
    sectors = year.by_sector()
    assert set(sectors) == {"城乡住房", "公共服务", "基础设施"}
    assert (sectors["公共服务"].sub_projects, sectors["公共服务"].investment_yuan) == (2, 1_800_000)
    assert sectors["公共服务"].trainings == 0  # trainings have no sector


def _uids(ws):
    from app.services import divisions

    return {d.name: d.uid for d in divisions.list_divisions(ws)}


def test_stats_json_keeps_its_keys_and_adds_the_dashboard(city_db, tmp_path):
    path = tmp_path / "city.db"
    shutil.copy(city_db, path)
    out = subprocess.run([sys.executable, "-m", "app", "--db", str(path), "stats", "--json"], capture_output=True,
                         text=True, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert {"entities", "sub_projects_by_division", "problems_by_state", "trainings_by_level"} <= set(data)
    board = data["dashboard"]
    assert board["divisions"]["宝兴县"]["acceptances_failed"] == 1
    assert board["divisions"]["芦山县"]["sub_projects"] == 2
    assert board["total"]["certificates"] == 2 and board["total"]["attendance"] == 107
    assert board["monthly"]["months"][0] == "2015-03" and board["monthly"]["visited"][-1] == 4


def test_a_county_installation_shows_its_own_county(ws, master, lushan):
    from app.services import sub_projects
    from tests.conftest import sub_project_input

    sub_projects.create(ws, sub_project_input(master, lushan))
    board = dashboard.collect(ws, today=TODAY)
    assert [r.name for r in board.rows] == ["芦山县"] and not board.city
    assert board.total.name == "合计" and board.total.counts.sub_projects == 1
    assert board.months == [] and board.progress == {"visited": [], "accepted": [], "certificates": []}
