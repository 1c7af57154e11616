"""SIGKILL during an import: the city database holds all of the package or none of it.

A child process opens the city's database and imports a county package of a few thousand
changes (new records, updates, concurrent edits that merge or conflict, an attachment);
it is killed with SIGKILL at random moments across the import. After every kill the file
passes ``PRAGMA integrity_check`` and is either exactly as before (same digest) or holds
the whole package (its row, and every record as a complete import leaves it); then a
retry, run to the end, succeeds.

Children are forked from one small Python process that has already imported the app, so
each attempt costs the import, not an interpreter start; two such lanes run side by side
on their own copies of the database.
"""

from __future__ import annotations

import os
import random
import select
import shutil
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select as sql_select

from app.db.backup import backup_database
from app.models import SYNC_MODELS, SubProject
from app.services import attachments, demo, packages, records, visits
from tests.sync_support import digest, enrol_each_other, make_node

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="forks child processes (POSIX)")

REPO = Path(__file__).resolve().parents[1]
KILLS = 54
NEAR_END = 6
LANES = 2

#: the child: forks one importer per request line "<db>\t<package>", reports on stdout
ZYGOTE = r"""
import os, sys, time, traceback
from app.services import packages
from app.services.workspace import Workspace

for line in sys.stdin:
    db, package = line.rstrip("\n").split("\t")
    pid = os.fork()
    if pid == 0:
        try:
            ws = Workspace.open(db)
            sys.stdout.write(f"go {os.getpid()}\n")
            sys.stdout.flush()
            started = time.perf_counter()
            result = packages.import_package(ws, package)
            sys.stdout.write(f"done {time.perf_counter() - started:.4f} {int(result.already_imported)}\n")
            sys.stdout.flush()
            os._exit(0)
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(3)
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(f"exit {pid} {status}\n")
    sys.stdout.flush()
"""


def path_digest(path: Path) -> str:
    return digest(SimpleNamespace(db=SimpleNamespace(path=path)))


def integrity(path: Path) -> list[str]:
    con = sqlite3.connect(path)
    try:
        return [r[0] for r in con.execute("PRAGMA integrity_check")]
    finally:
        con.close()


def sync_state(path: Path) -> dict[str, list[tuple]]:
    """Records and revisions, without local row ids: what a complete import must leave."""
    con = sqlite3.connect(path)
    try:
        state = {}
        for entity, model in SYNC_MODELS.items():
            columns = ", ".join(c.name for c in model.__table__.columns if c.name != "id")
            state[entity] = sorted(con.execute(f'SELECT {columns} FROM "{entity}"').fetchall(), key=repr)
        state["revisions"] = sorted(con.execute("SELECT entity, record_uid, rev, parent_rev, merge_parent_rev, hlc, "
                                                "deleted, data FROM record_revisions").fetchall(), key=repr)
        state["conflicts"] = sorted(con.execute("SELECT entity, record_uid, local_rev, remote_rev, merged_rev, fields, "
                                                "status FROM conflicts").fetchall(), key=repr)
        return state
    finally:
        con.close()


def package_present(path: Path, package_id: str) -> bool:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM packages WHERE direction = 'in' AND uid = ?",
                           (package_id,)).fetchone()[0] == 1
    finally:
        con.close()


def edit(ws, uid: str, **values) -> None:
    with ws.db.write() as session:
        records.update(session, ws, session.scalar(sql_select(SubProject).where(SubProject.uid == uid)), values)


@dataclass
class Scenario:
    package: Path
    package_id: str
    changes: int
    pristine: Path
    pristine_digest: str


@pytest.fixture(scope="module")
def scenario(tmp_path_factory) -> Scenario:
    """The city holds the county's first package and edited some of its records; the
    county, acknowledged, then adds a few thousand records and edits others."""
    root = tmp_path_factory.mktemp("crash")
    for name in ("county", "city"):
        (root / name).mkdir()
    county = make_node(root / "county", "county", "芦山县", "张晓梅")
    city = make_node(root / "city", "city", "雅安市", "市局")
    enrol_each_other(county, city)
    demo.generate(county, sub_projects=40)
    packages.import_package(city, packages.export_package(county, root / "first.zip").path)
    packages.import_package(county, packages.export_package(city, root / "ack.zip", receiver=county.node_uid).path)
    with county.db.read() as session:
        uids = session.scalars(sql_select(SubProject.uid).order_by(SubProject.uid).limit(12)).all()
    for n, uid in enumerate(uids[:6]):
        edit(city, uid, archivist=f"市里改的{n}")  # half of these the county changes too: conflicts
    for n, uid in enumerate(uids):
        edit(county, uid, archivist=f"县里改的{n}") if n % 2 else edit(county, uid, remarks=f"县里备注{n}")
    demo.generate(county, sub_projects=380)
    photo = root / "现场.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0" + os.urandom(64 * 1024))
    visit = visits.create(county, uids[0], {"visit_date": "2015-03-02", "kind": "mid_term_check",
                                            "archivists": "张晓梅"})
    attachments.attach(county, owner_entity="guidance_visits", owner_uid=visit.uid, source=photo, role="photo")
    out = packages.export_package(county, root / "big.zip")
    pristine = root / "pristine" / "city.db"
    backup_database(city.db.path, pristine)
    county.close()
    city.close()
    changes = sum(out.counts.values())
    assert changes >= 2500
    return Scenario(out.path, out.package_id, changes, pristine, path_digest(pristine))


class Zygote:
    """One child interpreter that forks importers on request."""

    def __init__(self, folder: Path) -> None:
        tmp = folder / "tmp"
        tmp.mkdir(parents=True, exist_ok=True)
        self.stderr = open(folder / "stderr.txt", "wb")
        env = {**os.environ, "TMPDIR": str(tmp), "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen([sys.executable, "-c", ZYGOTE], cwd=REPO, env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.buffer = b""

    def line(self, timeout: float | None) -> str | None:
        """The next line, or None when ``timeout`` passes first."""
        deadline = None if timeout is None else time.monotonic() + timeout
        fd = self.proc.stdout.fileno()
        while b"\n" not in self.buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            if not select.select([fd], [], [], 60 if left is None else left)[0]:
                if left is None:
                    raise AssertionError("the importer went silent for a minute")
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise AssertionError("the child interpreter died: " + self.stderr.name)
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()

    def run(self, db: Path, package: Path, kill_after: float | None) -> tuple[bool, float | None, bool]:
        """Import in a fresh child; SIGKILL it ``kill_after`` seconds into the import.
        Returns (killed, seconds the import took if it finished, whether it was a no-op)."""
        self.proc.stdin.write(f"{db}\t{package}\n".encode())
        self.proc.stdin.flush()
        go = self.line(None)
        assert go.startswith("go "), go
        pid = int(go.split()[1])
        first = self.line(kill_after)
        if first is None:  # still importing: kill it where it stands
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # it finished that very moment and was reaped
                pass
            first = self.line(None)
        seconds = noop = None
        if first.startswith("done "):
            seconds, noop = float(first.split()[1]), first.split()[2] == "1"
            first = self.line(None)
        word, child, status = first.split()
        assert word == "exit" and int(child) == pid, first
        status = int(status)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        assert killed or os.WEXITSTATUS(status) == 0, f"the import failed: see {self.stderr.name}"
        return killed, seconds, bool(noop)

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.stderr.close()


@dataclass
class Tally:
    kills: int = 0
    none: int = 0
    whole: int = 0
    finished_anyway: int = 0
    retries: int = 0
    delays: list[float] = field(default_factory=list)
    lost: int = 0


def restore(pristine: Path, db: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(pristine, db)  # a backup-API copy in rollback-journal mode: the file is all of it


def lane(scenario: Scenario, reference: dict, folder: Path, delays: list[float], tally: Tally,
         errors: list[BaseException], lock: threading.Lock) -> None:
    zygote = Zygote(folder)
    db = folder / "city.db"
    try:
        for delay in delays:
            restore(scenario.pristine, db)
            killed, _seconds, _noop = zygote.run(db, scenario.package, delay)
            assert integrity(db) == ["ok"]
            whole = package_present(db, scenario.package_id)
            if whole:
                # the kill came after the commit: everything is there
                assert sync_state(db) == reference, "a package row without all its records"
            else:
                assert path_digest(db) == scenario.pristine_digest, "a partial import survived the kill"
            # the retry runs to its end and leaves the whole package, once
            before_retry = path_digest(db) if whole else None
            retry_killed, _seconds, noop = zygote.run(db, scenario.package, None)
            assert not retry_killed and noop == whole
            assert integrity(db) == ["ok"] and package_present(db, scenario.package_id)
            assert sync_state(db) == reference
            if whole:
                assert path_digest(db) == before_retry
            with lock:
                tally.kills += killed
                tally.finished_anyway += not killed
                tally.whole += whole
                tally.none += not whole
                tally.retries += 1
                tally.delays.append(delay)
    except BaseException as exc:  # reported by the test thread
        errors.append(exc)
    finally:
        zygote.close()


def test_an_import_killed_at_random_moments_leaves_all_or_nothing_and_the_retry_succeeds(scenario, tmp_path):
    started = time.perf_counter()
    # measure the import first (and keep what a complete import leaves, as the reference)
    measure = Zygote(tmp_path / "measure")
    try:
        db = tmp_path / "measure" / "city.db"
        restore(scenario.pristine, db)
        killed, duration, noop = measure.run(db, scenario.package, None)
        assert not killed and not noop and duration
        reference = sync_state(db)
    finally:
        measure.close()
    assert reference["conflicts"], "the package should exercise conflicts too"
    rng = random.Random(2013)
    # kill times spread evenly over the import, jittered; and a few around its very end,
    # where the commit is (some of those land after it, or find the import finished)
    delays = [duration * (n + rng.random()) / KILLS for n in range(KILLS)]
    delays += [duration * rng.uniform(0.95, 1.05) for _ in range(NEAR_END)]
    rng.shuffle(delays)
    tally, errors, lock = Tally(), [], threading.Lock()
    threads = [threading.Thread(target=lane, args=(scenario, reference, tmp_path / f"lane-{n}", delays[n::LANES],
                                                   tally, errors, lock)) for n in range(LANES)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    if errors:
        raise errors[0]
    assert all(not t.is_alive() for t in threads)
    assert tally.retries == len(delays)
    assert tally.kills >= 50, tally
    assert tally.none > 0
    print(f"\nSIGKILL during import: {scenario.changes} changes, import {duration:.2f} s; "
          f"{tally.kills} kills (package whole after {tally.whole}, absent after {tally.none}, "
          f"{tally.finished_anyway} finished before the kill), {tally.retries} retries all succeeded, "
          f"records lost 0, {time.perf_counter() - started:.1f} s")
