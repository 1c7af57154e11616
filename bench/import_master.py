"""Master list import and export at city size and ten times that.

    python bench/import_master.py [--sizes 4055 40550]

For each size: a demo register is exported to .xlsx (export time), then that file is
imported into an empty database. Prints the bare python-calamine read of the file (the
library's own limit), the whole import split into check (read + parse + compare) and
write (one transaction: records, their revisions and audit rows), and the ratio of the
whole to the bare read. Targets: whole import of 4,055 rows < 1.5 s, within 3x of the read.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from python_calamine import CalamineWorkbook  # noqa: E402

from app.services import demo, divisions, node  # noqa: E402
from app.services.master_list.exporter import export_register  # noqa: E402
from app.services.master_list.importer import commit_import, plan_import  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402


def city_workspace(path: Path) -> Workspace:
    ws = Workspace.open(path)
    node.setup_node(ws, division_uid=divisions.find_division(ws, divisions.CITY_CODE).uid, operator="bench")
    return ws


def bare_read(path: Path) -> float:
    started = time.perf_counter()
    CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python(skip_empty_area=False)
    return time.perf_counter() - started


def measure(size: int, tmp: Path) -> None:
    source = city_workspace(tmp / f"source-{size}.db")
    demo.generate(source, sub_projects=size)
    book = tmp / f"master-{size}.xlsx"
    started = time.perf_counter()
    export_register(source, book)
    export_s = time.perf_counter() - started
    source.close()

    reads = [bare_read(book) for _ in range(3)]
    checks, writes, totals = [], [], []
    for attempt in range(3 if size <= 5000 else 1):
        target = city_workspace(tmp / f"target-{size}-{attempt}.db")
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
    again = city_workspace(tmp / f"again-{size}.db")
    commit_import(again, plan_import(again, book))
    started = time.perf_counter()
    replan = plan_import(again, book)
    reimport = time.perf_counter() - started
    assert (len(replan.created), len(replan.updated)) == (0, 0)
    again.close()

    read, total = min(reads), statistics.median(totals)
    print(f"{size:>6,} rows  file {book.stat().st_size / 1e6:5.1f} MB")
    print(f"        export to .xlsx            {export_s * 1000:8.0f} ms")
    print(f"        bare calamine read         {read * 1000:8.0f} ms   (library limit)")
    print(f"        import: check              {statistics.median(checks) * 1000:8.0f} ms")
    print(f"        import: write              {statistics.median(writes) * 1000:8.0f} ms"
          f"   ({result.created:,} sub-projects + {result.masters_created:,} master projects,"
          " each with a revision and an audit row)")
    print(f"        whole import               {total * 1000:8.0f} ms   (target < 1,500 ms at 4,055)")
    print(f"        whole / bare read          {total / read:8.1f} x    (target <= 3 x)")
    print(f"        re-import preview (0 new)  {reimport * 1000:8.0f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[4055, 40550])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for size in args.sizes:
            measure(size, Path(tmp))


if __name__ == "__main__":
    main()
