"""Master list import and export at city size and ten times that.

    python bench/import_master.py [--sizes 4055 40550] [--runs N]

For each size: a demo register is exported to .xlsx (export time), then that file is
imported into an empty database, N times. Prints the bare python-calamine read of the file
(the library's own limit), the whole import (read + check + write: ``plan_import`` then
``commit_import``, into a fresh database of the app's own kind, WAL and synchronous=FULL,
one transaction), split into check and write, and the ratio of the whole to the bare read.
Targets: whole import of 4,055 rows < 1.5 s, within 3x of the read.

Every figure is the minimum of its runs: the machine's cores are shared, so the minimum is
the least disturbed run. A few more imports, not timed with the others, are watched to say
where the time goes, and the import's rows are written once more through ``sqlite3`` alone
(SQLite's own limit for the write, printed beside the read's).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from python_calamine import CalamineWorkbook  # noqa: E402

from app.db import bulk  # noqa: E402
from app.services import demo, divisions, node, records, sub_projects  # noqa: E402
from app.services.master_list import importer  # noqa: E402
from app.services.master_list.exporter import export_register  # noqa: E402
from app.services.master_list.importer import commit_import, plan_import  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402


def city_workspace(path: Path) -> Workspace:
    ws = Workspace.open(path)
    node.setup_node(ws, division_uid=divisions.find_division(ws, divisions.CITY_CODE).uid, operator="bench")
    return ws


def fresh_workspace(template: Path, path: Path) -> Workspace:
    """A copy of an empty, set-up city database (migrating and setting up is not the import)."""
    shutil.copy(template, path)
    return Workspace.open(path)


def bare_read(path: Path) -> float:
    started = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    return time.perf_counter() - started


class Watch:
    """Seconds spent inside some functions during one import (wrapped only while watching)."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.last_return = 0.0

    def _wrap(self, label: str, fn):
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.last_return = time.perf_counter()
                self.seconds[label] += self.last_return - started
        return timed

    @contextmanager
    def watching(self):
        patches = [(importer, "read_master_list"), (importer.RowChecker, "check"),
                   (sub_projects, "parse_fields"), (records, "bulk_create"), (bulk.BulkInserter, "insert_converted")]
        saved = [(owner, attr, getattr(owner, attr)) for owner, attr in patches]
        for owner, attr, fn in saved:
            setattr(owner, attr, self._wrap(attr, fn))
        try:
            yield self
        finally:
            for owner, attr, fn in saved:
                setattr(owner, attr, fn)


def captured_inserts(template: Path, book: Path, path: Path) -> list[tuple[str, list]]:
    """The driver-level inserts (SQL and rows) one import makes, recorded as it makes them."""
    captured: list[tuple[str, list]] = []
    insert = bulk.BulkInserter.insert_converted

    def recording(self, params):
        captured.append((self._sql, list(params)))
        insert(self, params)

    ws = fresh_workspace(template, path)
    bulk.BulkInserter.insert_converted = recording
    try:
        commit_import(ws, plan_import(ws, book))
    finally:
        bulk.BulkInserter.insert_converted = insert
        ws.close()
    return captured


def bare_write(template: Path, inserts: list[tuple[str, list]], path: Path) -> float:
    """The same rows through ``sqlite3`` alone: ``executemany`` into a copy of the empty
    database (same schema, same settings: WAL, synchronous=FULL, the import's page cache),
    one transaction, committed. SQLite's own limit for the write."""
    shutil.copy(template, path)
    con = sqlite3.connect(path, isolation_level=None)
    try:
        for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON", "wal_autocheckpoint=0",
                       f"cache_size=-{bulk.BULK_CACHE_KIB}"):
            con.execute(f"PRAGMA {pragma}")
        started = time.perf_counter()
        con.execute("BEGIN IMMEDIATE")
        for sql, rows in inserts:
            con.executemany(sql, rows)
        con.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        con.close()


def where_the_time_goes(template: Path, book: Path, tmp: Path, runs: int) -> dict[str, float]:
    """Each phase's minimum over ``runs`` watched imports (so the lines need not add up)."""
    phases = [watched_import(template, book, tmp / f"watched-{n}.db") for n in range(runs)]
    return {label: min(p[label] for p in phases) for label in phases[0]}


def watched_import(template: Path, book: Path, path: Path) -> dict[str, float]:
    ws = fresh_workspace(template, path)
    watch = Watch()
    try:
        with watch.watching():
            started = time.perf_counter()
            plan = plan_import(ws, book)
            planned = time.perf_counter()
            commit_import(ws, plan)
            done = time.perf_counter()
    finally:
        ws.close()
    s = watch.seconds
    return {
        "read the file (calamine) and find the header": s["read_master_list"],
        "check rows: the dialog's field rules (parse_fields)": s["parse_fields"],
        "check rows: cells to raw values, code and division": s["check"] - s["parse_fields"],
        "plan: load the register, duplicates, new/changed": planned - started - s["read_master_list"] - s["check"],
        "write: tuples, revision hashes, uids (Python)": s["bulk_create"] - s["insert_converted"],
        "write: SQLite inserts with their indexes": s["insert_converted"],
        "write: commit (WAL fsync; checkpoint off-thread)": done - watch.last_return,
        "whole import (watched)": done - started,
    }


def measure(size: int, runs: int, tmp: Path) -> None:
    source = city_workspace(tmp / f"source-{size}.db")
    demo.generate(source, sub_projects=size)
    book = tmp / f"master-{size}.xlsx"
    started = time.perf_counter()
    export_register(source, book)
    export_s = time.perf_counter() - started
    source.close()
    template = tmp / "empty.db"
    if not template.exists():
        city_workspace(template).close()

    reads = [bare_read(book) for _ in range(max(runs, 3))]
    checks, writes, totals = [], [], []
    for attempt in range(runs):
        target = fresh_workspace(template, tmp / f"target-{size}-{attempt}.db")
        started = time.perf_counter()
        plan = plan_import(target, book)
        planned = time.perf_counter()
        result = commit_import(target, plan)
        done = time.perf_counter()
        assert result.created == size and not plan.rejected
        checks.append(planned - started)
        writes.append(done - planned)
        totals.append(done - started)
        target.close()
    again = fresh_workspace(template, tmp / f"again-{size}.db")
    commit_import(again, plan_import(again, book))
    reimports = []
    for _ in range(min(runs, 3)):
        started = time.perf_counter()
        replan = plan_import(again, book)
        reimports.append(time.perf_counter() - started)
        assert (len(replan.created), len(replan.updated)) == (0, 0)
    again.close()
    phases = where_the_time_goes(template, book, tmp, min(runs, 3))
    inserts = captured_inserts(template, book, tmp / f"captured-{size}.db")
    sqlite_write = min(bare_write(template, inserts, tmp / f"bare-write-{size}-{n}.db") for n in range(max(runs, 3)))

    read, total = min(reads), min(totals)
    print(f"{size:>6,} rows  file {book.stat().st_size / 1e6:5.1f} MB   (minimum of {runs} imports)")
    print(f"        export to .xlsx            {export_s * 1000:8.0f} ms")
    print(f"        bare calamine read         {read * 1000:8.0f} ms   (library limit)")
    print(f"        import: check              {min(checks) * 1000:8.0f} ms   (read + parse + compare)")
    print(f"        import: write              {min(writes) * 1000:8.0f} ms"
          f"   ({result.created:,} sub-projects + {result.masters_created:,} master projects,"
          " each with a revision and an audit row)")
    print(f"        whole import               {total * 1000:8.0f} ms   (target < 1,500 ms at 4,055)")
    print(f"        whole / bare read          {total / read:8.1f} x    (target <= 3 x)")
    print(f"        bare SQLite write          {sqlite_write * 1000:8.0f} ms   (library limit: the same rows through"
          " sqlite3 executemany, one commit)")
    print(f"        bare read + bare write     {(read + sqlite_write) * 1000:8.0f} ms   = {(read + sqlite_write) / read:.1f} x"
          f" the read; the whole import is {total / (read + sqlite_write):.2f} x the two library limits")
    print(f"        re-import preview (0 new)  {min(reimports) * 1000:8.0f} ms")
    print(f"        where the time goes (minimum of {min(runs, 3)} more imports, watched):")
    for label, seconds in phases.items():
        print(f"          {label:<52} {seconds * 1000:7.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[4055, 40550])
    parser.add_argument("--runs", type=int, default=0,
                        help="imports per size (default 5, or 2 above 5,000 rows); the minimum is shown")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            measure(size, args.runs or (5 if size <= 5000 else 2), Path(tmp))


if __name__ == "__main__":
    main()
