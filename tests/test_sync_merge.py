"""The merge of packages: order, duplicates and losses change nothing; concurrent edits end
alike on every node; conflicts are kept, never won silently; clocks decide nothing.

Packages are built once per module and applied to copies of a pristine database, so the
property tests try many orders cheaply.
"""

from __future__ import annotations

import itertools
import os
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.db.backup import backup_database
from app.models import SYNC_MODELS, SubProject
from app.services import attachments, conflicts, packages, records, visits
from app.services.workspace import Workspace
from tests.sync_support import enrol_each_other, make_node, register

YEAR_MS = 366 * 24 * 3600 * 1000
PROPERTY = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ---------------------------------------------------------------------------------------
# helpers


def node_in(folder: Path, name: str, division: str, operator: str) -> Workspace:
    # each node in its own folder: its attachment store and key are its own
    (folder / name).mkdir(parents=True, exist_ok=True)
    return make_node(folder / name, name, division, operator)


class Link:
    """A county and the city exchanging packages through files in ``folder``."""

    def __init__(self, folder: Path, county: Workspace, city: Workspace) -> None:
        self.folder, self.county, self.city = folder, county, city
        self.count = itertools.count(1)

    def export_up(self) -> Path:
        return packages.export_package(self.county, self.folder / f"up-{next(self.count)}.zip").path

    def export_down(self) -> Path:
        return packages.export_package(self.city, self.folder / f"down-{next(self.count)}.zip",
                                       receiver=self.county.node_uid).path

    def up(self) -> packages.ImportResult:
        return packages.import_package(self.city, self.export_up())

    def down(self) -> packages.ImportResult:
        return packages.import_package(self.county, self.export_down())

    def both_ways(self, rounds: int = 1) -> list[packages.ImportResult]:
        results = []
        for _ in range(rounds):
            results += [self.up(), self.down()]
        return results


def record(ws: Workspace, uid: str) -> SubProject:
    with ws.db.read() as session:
        return session.scalar(select(SubProject).where(SubProject.uid == uid))


def edit(ws: Workspace, uid: str, **values) -> None:
    with ws.db.write() as session:
        row = session.scalar(select(SubProject).where(SubProject.uid == uid))
        records.update(session, ws, row, values)


def delete(ws: Workspace, uid: str) -> None:
    with ws.db.write() as session:
        records.delete(session, ws, session.scalar(select(SubProject).where(SubProject.uid == uid)))


def restore(ws: Workspace, uid: str) -> None:
    with ws.db.write() as session:
        records.restore(session, ws, session.scalar(select(SubProject).where(SubProject.uid == uid)))


def _rows(con: sqlite3.Connection, sql: str) -> list[tuple]:
    return sorted(con.execute(sql).fetchall(), key=repr)


def live_state(ws: Workspace) -> dict[str, list[tuple]]:
    """Every synchronised record as the user sees it: uid, rev, tombstone and content."""
    con = sqlite3.connect(ws.db.path)
    try:
        state = {}
        for entity, model in SYNC_MODELS.items():
            columns = ["uid", "rev", "deleted", *model.content_columns()]
            state[entity] = _rows(con, f'SELECT {", ".join(columns)} FROM "{entity}"')
        return state
    finally:
        con.close()


def full_state(ws: Workspace) -> dict[str, list[tuple]]:
    """Records with all their sync metadata, every revision, and the conflicts."""
    con = sqlite3.connect(ws.db.path)
    try:
        state = {}
        for entity, model in SYNC_MODELS.items():
            columns = [c.name for c in model.__table__.columns if c.name != "id"]
            state[entity] = _rows(con, f'SELECT {", ".join(columns)} FROM "{entity}"')
        state["record_revisions"] = _rows(con, "SELECT entity, record_uid, rev, parent_rev, merge_parent_rev, hlc, "
                                               "node, operator, deleted, data FROM record_revisions")
        state["conflicts"] = _rows(con, "SELECT entity, record_uid, base_rev, local_rev, remote_rev, merged_rev, "
                                        "fields, status, resolved_rev FROM conflicts")
        return state
    finally:
        con.close()


def revision_ids(ws: Workspace) -> set[tuple[str, str, str]]:
    con = sqlite3.connect(ws.db.path)
    try:
        return set(con.execute("SELECT entity, record_uid, rev FROM record_revisions"))
    finally:
        con.close()


def open_conflicts(ws: Workspace) -> set[tuple]:
    """Open conflicts as every node sees them: record, merge revision, fields and both values."""
    found = set()
    for c in packages.conflicts(ws):
        values = tuple(sorted((name, frozenset(map(repr, (v["local"], v["remote"])))) for name, v in c["fields"].items()))
        found.add((c["entity"], c["record_uid"], c["merged_rev"], values))
    return found


def scratch_dir() -> tempfile.TemporaryDirectory:
    """A folder for one generated example: in memory where the system offers it, since these
    tests are about merging, not about the disk (fsync there costs milliseconds each)."""
    shm = Path("/dev/shm")
    return tempfile.TemporaryDirectory(dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None)


def copy_node(db_path: Path, folder: Path) -> Workspace:
    """A consistent copy (backup API: the WAL comes along) with the node's key and attachments."""
    folder.mkdir(parents=True, exist_ok=True)
    backup_database(db_path, folder / db_path.name)
    for extra in ("keys", attachments.STORE_DIR):
        if (db_path.parent / extra).exists():
            shutil.copytree(db_path.parent / extra, folder / extra, dirs_exist_ok=True)
    return Workspace.open(folder / db_path.name)


# ---------------------------------------------------------------------------------------
# a county's packages applied at the city in any order


@pytest.fixture(scope="module")
def county_series(tmp_path_factory):
    """A county and its packages 1..5 (edits between them), none acknowledged by the city,
    so each carries everything the earlier ones did; and the city as it was before them:
    it holds package 0 and made edits of its own, so some of the county's edits conflict."""
    root = tmp_path_factory.mktemp("series")
    county = node_in(root, "county", "芦山县", "张晓梅")
    city = node_in(root, "city", "雅安市", "市局")
    enrol_each_other(county, city)
    link = Link(root, county, city)
    subs = [register(county, f"SP-{n}") for n in range(4)]
    link.up()
    link.down()  # the city's acknowledgement: the packages below start after package 0
    edit(city, subs[0].uid, archivist="市里改的")       # same field as the county below: a conflict
    edit(city, subs[1].uid, remarks="市里的备注")        # another field: merges
    photo = root / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 16)
    steps = [
        lambda: (edit(county, subs[0].uid, archivist="县里改的"), edit(county, subs[1].uid, archive_lead="县领导")),
        lambda: (register(county, "SP-NEW-1"), delete(county, subs[2].uid)),
        lambda: attachments.attach(county, owner_entity="guidance_visits", source=photo, role="photo",
                                   owner_uid=visits.create(county, subs[3].uid, {
                                       "visit_date": "2015-03-02", "kind": "mid_term_check",
                                       "archivists": "张晓梅"}).uid),
        lambda: (restore(county, subs[2].uid), edit(county, subs[2].uid, remarks="恢复后补充")),
        lambda: (edit(county, subs[0].uid, archivist="县里再改"), register(county, "SP-NEW-2")),
    ]
    series = []
    for step in steps:
        step()
        series.append(link.export_up())
    pristine = root / "pristine-city"
    backup_database(city.db.path, pristine / "city.db")
    county.close()
    city.close()
    yield pristine / "city.db", series


def apply_at_city(pristine_db: Path, folder: Path, series: list[Path], order: list[int]) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(pristine_db, folder / "city.db")  # a backup-API copy in rollback mode: one file
    city = Workspace.open(folder / "city.db")
    try:
        seen = set()
        for n in order:
            result = packages.import_package(city, series[n])
            assert result.already_imported == (n in seen)
            seen.add(n)
        return full_state(city)
    finally:
        city.close()


@pytest.fixture(scope="module")
def in_order(county_series, tmp_path_factory):
    pristine, series = county_series
    return apply_at_city(pristine, tmp_path_factory.mktemp("in-order"), series, list(range(len(series))))


def test_the_series_itself_merges_and_conflicts_as_expected(in_order):
    # the county changed the archivist twice, the city once: however the provisional winners
    # fall, the city's value stays in an open conflict until a person decides
    open_ones = [orjson.loads(c[6]) for c in in_order["conflicts"] if c[7] == "open"]
    assert open_ones and all(list(fields) == ["archivist"] for fields in open_ones)
    assert "市里改的" in {v for fields in open_ones for v in (fields["archivist"]["local"], fields["archivist"]["remote"])}
    assert any(rev[8] for rev in in_order["record_revisions"])  # the delete travelled
    assert in_order["attachments"] and in_order["guidance_visits"]


orders = st.lists(st.integers(0, 3), max_size=6).flatmap(
    # every package may be lost (left out), duplicated or late, but the last one arrives
    lambda extra: st.permutations([4, *extra]))


@settings(PROPERTY, max_examples=int(os.environ.get("SYNC_EXAMPLES", "30")))
@given(order=orders)
def test_packages_in_any_order_duplicated_or_lost_end_as_in_order(county_series, in_order, order):
    pristine, series = county_series
    with scratch_dir() as folder:
        assert apply_at_city(pristine, Path(folder), series, order) == in_order


def test_a_lost_package_only_delays_the_next_one_carries_it(county_series, tmp_path, in_order):
    pristine, series = county_series
    # package 2 lost on the way, package 3 arrives, the lost stick turns up later
    late = apply_at_city(pristine, tmp_path / "late", series, [0, 2, 1, 3, 4])
    assert late == in_order
    never = apply_at_city(pristine, tmp_path / "never", series, [0, 2, 3, 4])
    assert never == in_order


def test_packages_carrying_merges_of_the_citys_edits_end_alike_in_any_order(tmp_path):
    """The county merged the city's edits after it had moved on, so its later package holds
    a merge the city did not make when it took the earlier one. In any order the city ends
    with the same content and the same conflicts; only the merge revisions it made on the
    way differ (ancestry, not arrival, is recorded), and one exchange each way then brings
    both nodes to the same revisions."""
    link, (a, b) = make_pair(tmp_path / "made")
    county, city = link.county, link.city
    edit(city, a, remarks="市里的备注")
    edit(city, b, archivist="市里改的")
    down = link.export_down()
    copy_node(city.db.path, tmp_path / "pristine-city").close()
    edit(county, a, archivist="县里改的")
    first = link.export_up()
    edit(county, a, archive_lead="县领导")
    edit(county, b, archivist="县里改的")
    packages.import_package(county, down)
    edit(county, a, owner_unit="县里改的业主")
    second = link.export_up()
    copy_node(county.db.path, tmp_path / "pristine-county").close()
    county.close()
    city.close()
    outcomes = []
    for n, order in enumerate(([first, second], [second], [second, first], [first, second, first])):
        folder = tmp_path / f"order-{n}"
        county = copy_node(tmp_path / "pristine-county" / "county.db", folder / "county")
        city = copy_node(tmp_path / "pristine-city" / "city.db", folder / "city")
        try:
            for package in order:
                packages.import_package(city, package)
            # the content without the revision ids; the conflicts without their merge revision
            content = {e: sorted(((row[0], *row[2:]) for row in rows), key=repr) for e, rows in live_state(city).items()}
            outcomes.append((content, sorted((c[0], c[1], c[3]) for c in open_conflicts(city))))
            Link(folder, county, city).both_ways()
            assert_converged(Link(folder, county, city))
        finally:
            county.close()
            city.close()
    assert all(outcome == outcomes[0] for outcome in outcomes)
    content, open_ones = outcomes[0]
    row = dict(zip(["uid", "deleted", *SubProject.content_columns()],
                   next(r for r in content["sub_projects"] if r[0] == a)))
    assert (row["remarks"], row["archivist"], row["archive_lead"], row["owner_unit"]) == (
        "市里的备注", "县里改的", "县领导", "县里改的业主")
    assert [(uid, [name for name, _values in fields]) for _e, uid, fields in open_ones] == [(b, ["archivist"])]


# ---------------------------------------------------------------------------------------
# two nodes editing the same records


def make_pair(folder: Path) -> tuple[Link, list[str]]:
    """A county and the city holding the same two sub-projects, each acknowledged."""
    county = node_in(folder, "county", "芦山县", "张晓梅")
    city = node_in(folder, "city", "雅安市", "市局")
    enrol_each_other(county, city)
    link = Link(folder, county, city)
    subs = [register(county, f"SP-{n}") for n in range(2)]
    link.both_ways()
    return link, [s.uid for s in subs]


@pytest.fixture
def pair(tmp_path):
    link, uids = make_pair(tmp_path)
    yield link, uids
    link.county.close()
    link.city.close()


def assert_converged(link: Link) -> None:
    assert live_state(link.county) == live_state(link.city)
    assert revision_ids(link.county) == revision_ids(link.city)
    assert open_conflicts(link.county) == open_conflicts(link.city)


def test_the_same_field_edited_on_two_nodes_is_one_conflict_with_both_values_everywhere(pair):
    link, (uid, _other) = pair
    edit(link.county, uid, archivist="县里改的")
    edit(link.city, uid, archivist="市里改的")
    link.both_ways(rounds=3)  # repeated exchanges add nothing
    for ws in (link.county, link.city):
        [conflict] = packages.conflicts(ws)
        assert list(conflict["fields"]) == ["archivist"]
        assert {conflict["fields"]["archivist"]["local"], conflict["fields"]["archivist"]["remote"]} == {
            "县里改的", "市里改的"}
    # the same provisional winner on both nodes, the higher revision's value
    county_head, city_head = (packages.conflicts(ws)[0] for ws in (link.county, link.city))
    assert county_head["merged_rev"] == city_head["merged_rev"] == record(link.city, uid).rev
    assert record(link.county, uid).archivist == record(link.city, uid).archivist in {"县里改的", "市里改的"}
    assert_converged(link)


def test_different_fields_edited_on_two_nodes_keep_both_changes_without_conflict(pair):
    link, (uid, _other) = pair
    edit(link.county, uid, archivist="县里改的")
    edit(link.city, uid, remarks="市里的备注", archive_lead="市领导")
    link.both_ways(rounds=2)
    for ws in (link.county, link.city):
        row = record(ws, uid)
        assert (row.archivist, row.remarks, row.archive_lead) == ("县里改的", "市里的备注", "市领导")
        assert packages.conflicts(ws) == []
    assert_converged(link)


@pytest.mark.parametrize("deleter", ["county", "city"])
def test_a_delete_against_an_edit_is_a_conflict_never_a_silent_win(pair, deleter):
    link, (uid, _other) = pair
    deleting, editing = (link.county, link.city) if deleter == "county" else (link.city, link.county)
    delete(deleting, uid)
    edit(editing, uid, archivist="删除时另一边在改")
    link.both_ways(rounds=2)
    for ws in (link.county, link.city):
        [conflict] = packages.conflicts(ws)
        assert "deleted" in conflict["fields"]
        assert {conflict["fields"]["deleted"]["local"], conflict["fields"]["deleted"]["remote"]} == {True, False}
        # whichever side provisionally wins, the edit is in the record and in its history
        assert record(ws, uid).archivist == "删除时另一边在改"
    assert record(link.county, uid).deleted == record(link.city, uid).deleted
    assert_converged(link)


def test_a_delete_against_no_edit_simply_applies(pair):
    link, (uid, other) = pair
    delete(link.county, uid)
    edit(link.city, other, remarks="另一条记录")
    link.both_ways()
    assert record(link.city, uid).deleted and record(link.county, uid).deleted
    assert packages.conflicts(link.city) == packages.conflicts(link.county) == []
    assert_converged(link)


@pytest.mark.parametrize("where", ["county", "city"])
def test_resolving_a_conflict_converges_on_both_nodes_after_the_next_exchange(pair, where):
    link, (uid, other) = pair
    edit(link.county, uid, archivist="县里改的", remarks="县里备注")
    edit(link.city, uid, archivist="市里改的", remarks="市里备注")
    delete(link.county, other)
    edit(link.city, other, archive_lead="市领导")
    link.both_ways()
    assert len(packages.conflicts(link.county)) == len(packages.conflicts(link.city)) == 2
    resolver = link.county if where == "county" else link.city
    # the person overrides the provisional winner: keeps the record if it shows deleted,
    # deletes it if it shows kept, and types a value for the edited fields
    keep = record(resolver, other).deleted
    for view in conflicts.list_conflicts(resolver):
        choices = {f.name: {"value": "核实后的值"} if f.name != "deleted" else {"value": not keep} for f in view.fields}
        conflicts.resolve(resolver, view.id, choices)
    link.both_ways()
    assert packages.conflicts(link.county) == packages.conflicts(link.city) == []
    for ws in (link.county, link.city):
        assert (record(ws, uid).archivist, record(ws, uid).remarks) == ("核实后的值", "核实后的值")
        assert record(ws, other).deleted == (not keep) and record(ws, other).archive_lead == "市领导"
    assert_converged(link)
    before = (live_state(link.county), live_state(link.city))
    link.both_ways()
    assert (live_state(link.county), live_state(link.city)) == before


def test_keeping_the_provisional_winner_also_closes_the_conflict_on_the_other_node(pair):
    link, (uid, _other) = pair
    edit(link.county, uid, archivist="县里改的")
    edit(link.city, uid, archivist="市里改的")
    link.both_ways()
    [view] = conflicts.list_conflicts(link.city)
    [field] = view.fields
    conflicts.resolve(link.city, view.id, {"archivist": field.winner})
    link.both_ways()
    assert packages.conflicts(link.county) == packages.conflicts(link.city) == []


def test_a_city_merge_reaches_a_county_that_edited_again_meanwhile(pair):
    """The city merges the county's edit with its own and edits on top; the county has
    edited the record again before that arrives. Fields changed on one side merge, no
    conflict appears that nobody made, and two exchanges settle both nodes for good."""
    link, (uid, _other) = pair
    edit(link.county, uid, archivist="县里改的")
    edit(link.city, uid, remarks="市里的备注")
    link.up()
    edit(link.county, uid, archive_lead="县领导")
    edit(link.city, uid, owner_unit="市里改的业主")
    link.down()
    assert packages.conflicts(link.county) == []
    link.both_ways()
    for ws in (link.county, link.city):
        row = record(ws, uid)
        assert (row.archivist, row.remarks, row.archive_lead, row.owner_unit) == (
            "县里改的", "市里的备注", "县领导", "市里改的业主")
        assert packages.conflicts(ws) == []
    assert_converged(link)
    # settled: another exchange makes no new revision anywhere
    results = link.both_ways()
    assert all(r.summary()["merged"] == r.summary()["added"] == r.summary()["updated"] == 0 for r in results)


# ---------------------------------------------------------------------------------------
# clocks a year apart


def _clock_scenario(link: Link, uids: list[str]) -> None:
    a, b = uids
    edit(link.county, a, archivist="县里改的", remarks="县里备注")
    edit(link.city, a, archivist="市里改的", archive_lead="市领导")
    link.up()
    edit(link.county, b, remarks="县里改了另一条")
    delete(link.city, b)
    edit(link.county, a, owner_unit="县里改业主")
    link.both_ways(rounds=2)


@pytest.fixture(scope="module")
def pristine_pair(tmp_path_factory):
    """A synchronised pair saved once; each run works on its own copies."""
    link, uids = make_pair(tmp_path_factory.mktemp("pair"))
    link.county.close()
    link.city.close()
    return link.folder, uids


def _run_with_clocks(pristine: Path, folder: Path, uids: list[str], county_skew: int, city_skew: int):
    county = copy_node(pristine / "county" / "county.db", folder / "county")
    city = copy_node(pristine / "city" / "city.db", folder / "city")
    try:
        for ws, skew in ((county, county_skew), (city, city_skew)):
            ws.clock._wall = lambda skew=skew: time.time_ns() // 1_000_000 + skew
        _clock_scenario(Link(folder, county, city), uids)
        return live_state(county), live_state(city), open_conflicts(county), open_conflicts(city)
    finally:
        county.close()
        city.close()


def test_clocks_a_year_apart_change_nothing_in_the_outcome(pristine_pair, tmp_path):
    pristine, uids = pristine_pair
    equal = _run_with_clocks(pristine, tmp_path / "equal", uids, 0, 0)
    county_state, city_state, county_conflicts, city_conflicts = equal
    assert county_state == city_state and county_conflicts == city_conflicts and len(city_conflicts) == 2
    assert _run_with_clocks(pristine, tmp_path / "county-ahead", uids, YEAR_MS, 0) == equal
    assert _run_with_clocks(pristine, tmp_path / "city-ahead", uids, 0, YEAR_MS) == equal
    assert _run_with_clocks(pristine, tmp_path / "county-behind", uids, -YEAR_MS, 0) == equal


# ---------------------------------------------------------------------------------------
# two nodes doing random work and exchanging at random


FIELDS = ("archivist", "remarks", "archive_lead")
VALUES = ("甲", "乙", "丙")
NODES = ("county", "city")
operations = st.lists(st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(NODES), st.integers(0, 1), st.sampled_from(FIELDS),
              st.sampled_from(VALUES)),
    st.tuples(st.just("delete"), st.sampled_from(NODES), st.integers(0, 1)),
    st.tuples(st.just("restore"), st.sampled_from(NODES), st.integers(0, 1)),
    st.tuples(st.just("up")), st.tuples(st.just("down")), st.tuples(st.just("lost")),
    st.tuples(st.just("resolve"), st.sampled_from(NODES)),
), max_size=14)


@settings(PROPERTY, max_examples=int(os.environ.get("SYNC_EXAMPLES", "30")))
@given(ops=operations)
def test_two_nodes_working_and_exchanging_at_random_end_identical(pristine_pair, ops):
    pristine, uids = pristine_pair
    with scratch_dir() as tmp:
        folder = Path(tmp)
        county = copy_node(pristine / "county" / "county.db", folder / "county")
        city = copy_node(pristine / "city" / "city.db", folder / "city")
        link = Link(folder, county, city)
        made: set[tuple[str, str, str]] = set()
        try:
            for n, op in enumerate(ops):
                kind, nodes = op[0], {"county": county, "city": city}
                if kind == "edit":
                    ws, uid = nodes[op[1]], uids[op[2]]
                    if not record(ws, uid).deleted:
                        edit(ws, uid, **{op[3]: f"{op[4]}{n}"})
                elif kind in ("delete", "restore"):
                    (delete if kind == "delete" else restore)(nodes[op[1]], uids[op[2]])
                elif kind == "up":
                    link.up()
                elif kind == "down":
                    link.down()
                elif kind == "lost":
                    link.export_up()  # the stick never arrives
                elif kind == "resolve":
                    # a decision that changes the record
                    ws = nodes[op[1]]
                    for view in conflicts.list_conflicts(ws)[:1]:
                        flip = not record(ws, view.record_uid).deleted
                        conflicts.resolve(ws, view.id, {f.name: {"value": f"定{n}"} if f.name != "deleted"
                                                        else {"value": flip} for f in view.fields})
            made = revision_ids(county) | revision_ids(city)
            link.both_ways(rounds=2)
            assert_converged(link)
            assert made <= revision_ids(city)  # nothing made anywhere is missing
            # settled: a further exchange changes nothing
            settled = (live_state(county), live_state(city))
            results = link.both_ways()
            assert all(r.summary()["merged"] == r.summary()["updated"] == 0 for r in results)
            assert (live_state(county), live_state(city)) == settled
        finally:
            county.close()
            city.close()
