"""Export packages and the city merge at city scale (4,055 sub-projects) and ten times that.

    python bench/sync.py [--scale 1] [--dir DIR] [--acceptances 0.2] [--jobs N]

Builds nine county databases (or reuses them from --dir) with demo data split by the real
weights (芦山县 1,003 ... 园区 125 sub-projects, times --scale; each with its visits,
problems and county trainings), and passed acceptances with their certificates through
the services for --acceptances of the sub-projects (completed ones); enrols every county
with a city database. Then prints:

- per county: the export time and size of its full package (what a county sends the first
  time), the phases of the export (revision query and change list / canonical JSON /
  BagIt payload hashing and manifests / zip / reading the copy back and verifying it);
- 芦山县's package imported into an empty city: import + merge time, and its phases
  (unzip / signature and full bag validation / JSON parse / merge / the rest of the
  transaction and its commit); the same package imported a second time (a no-op);
- all nine packages merged one after the other into an empty city database: the total,
  against the target (< 10 s at city scale), and per county.

Phases are timed from outside, by wrapping the functions the services call (nothing in
the app is changed); what no wrapper covers is shown as the residual. Figures are printed,
not asserted.
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import zipfile
from collections import Counter, defaultdict
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

#: sub-projects per division at city scale: the demo's weights over 4,055 (largest remainder)
SHARES = {"芦山县": 1003, "天全县": 585, "雨城区": 585, "宝兴县": 544, "名山区": 502, "荥经县": 335,
          "汉源县": 209, "石棉县": 167, "芦天宝飞地产业园区": 125}
BIG = "芦山县"
TARGET_CITY_MERGE_S = 10.0
GROUP = [
    {"name": "杨建华", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
    {"name": "陈丽", "unit_kind": "archives_bureau", "role": "deputy", "vote": "agree"},
    {"name": "刘强", "unit_kind": "finance_bureau", "vote": "agree"},
    {"name": "周敏", "unit_kind": "development_commission", "vote": "agree"},
    {"name": "吴刚", "unit_kind": "housing_bureau", "vote": "disagree"},
]


def slug(name: str) -> str:
    return f"county-{list(SHARES).index(name)}"


# -- building the databases ------------------------------------------------------------

def _own_sub_projects(db: Path) -> int:
    con = sqlite3.connect(db)
    try:
        return con.execute("SELECT count(*) FROM sub_projects WHERE origin_node = "
                           "(SELECT uid FROM nodes WHERE is_local = 1)").fetchone()[0]
    except sqlite3.Error:
        return -1
    finally:
        con.close()


def build_county(args: tuple[str, str, int, float, int]) -> tuple[str, float, int, int]:
    """One county database: demo data, then passed acceptances through the services."""
    from sqlalchemy import select

    from app.models import SubProject
    from app.services import acceptances, checklists, demo, divisions, node
    from app.services.workspace import Workspace

    name, path, count, share, seed = args
    started = time.perf_counter()
    ws = Workspace.open(path)
    try:
        node.setup_node(ws, division_uid=divisions.find_division(ws, name).uid, operator=f"{name}档案员")
        demo.generate(ws, sub_projects=count, seed=seed)
        rng = random.Random(seed)
        template = checklists.get(ws, checklists.ensure_default(ws))
        with ws.db.read() as session:
            done = list(session.execute(select(SubProject.uid, SubProject.finish_date)
                                        .where(SubProject.construction_status == "completed")
                                        .order_by(SubProject.id)))
        chosen = rng.sample(done, min(len(done), round(count * share)))
        for uid, finished in chosen:
            held = min((finished or date(2016, 6, 1)) + timedelta(days=rng.randrange(20, 200)), date.today())
            a = acceptances.create(ws, uid, {"acceptance_date": held.isoformat(),
                                             "accepted_volumes": str(rng.randrange(10, 300)),
                                             "accepted_items": str(rng.randrange(100, 3000)),
                                             "accepted_drawings": str(rng.randrange(0, 500))})
            acceptances.set_members(ws, a.uid, GROUP)
            acceptances.set_scores(ws, a.uid, {
                i.uid: {"passed": True} if i.kind == "pass_fail" else
                {"self_score": str(i.max_score), "group_score": str(i.max_score - (rng.random() < 0.2))}
                for i in template.items})
            acceptances.conclude(ws, a.uid)
    finally:
        ws.close()
    return name, time.perf_counter() - started, count, len(chosen)


def copy_db(src: Path, dst: Path) -> None:
    """A consistent copy with SQLite's backup API (copying a WAL database's file is not)."""
    for leftover in dst.parent.glob(dst.name + "*"):
        leftover.unlink()
    source, target = sqlite3.connect(src), sqlite3.connect(dst)
    try:
        source.backup(target)
    finally:
        source.close()
        target.close()


def prepare(folder: Path, scale: int, share: float, jobs: int) -> tuple[dict[str, Path], Path, bool]:
    """County databases (built or reused) and an empty city database that has enrolled them."""
    from app.services import divisions, enrolment, node
    from app.services.workspace import Workspace

    folder.mkdir(parents=True, exist_ok=True)
    counties = {name: folder / f"{slug(name)}.db" for name in SHARES}
    todo = []
    for n, (name, path) in enumerate(counties.items()):
        have = _own_sub_projects(path) if path.exists() else None
        if have == SHARES[name] * scale:
            continue
        if have is not None:
            sys.exit(f"{path} holds {have} sub-projects of its own, not {SHARES[name] * scale}: "
                     f"use an empty --dir for --scale {scale}")
        todo.append((name, str(path), SHARES[name] * scale, share, 2013 + n))
    city = folder / "city-empty.db"
    if todo:
        print(f"building {len(todo)} county databases ({jobs} processes)...", flush=True)
        started = time.perf_counter()
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for name, seconds, count, accepted in pool.map(build_county, sorted(todo, key=lambda t: -t[2])):
                print(f"  {name:10} {count:6,} sub-projects, {accepted:5,} acceptances with certificates: "
                      f"{seconds:6.1f} s", flush=True)
        print(f"  built in {time.perf_counter() - started:.1f} s", flush=True)
        for stale in folder.glob("city-empty.db*"):
            stale.unlink()
    if not city.exists():
        ws = Workspace.open(city)
        node.setup_node(ws, division_uid=divisions.find_division(ws, "雅安市").uid, operator="市局")
        city_identity = enrolment.local_identity(ws)
        for path in counties.values():
            county = Workspace.open(path)
            try:
                enrolment.enrol(ws, enrolment.local_identity(county))
                if not any(n.uid == city_identity.node_uid for n in enrolment.list_nodes(county)):
                    enrolment.enrol(county, city_identity)
            finally:
                county.close()
        ws.close()
    return counties, city, not todo


# -- timing phases from outside ----------------------------------------------------------

class Phases:
    """Wraps the functions an export or import calls and adds up the time spent in each."""

    def __init__(self) -> None:
        self.seconds: Counter = Counter()
        self.calls: Counter = Counter()

    def _wrap(self, label: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[label] += time.perf_counter() - started
                self.calls[label] += 1
        return timed

    @contextmanager
    def watching(self):
        import bagit
        import orjson

        from app.db import bulk
        from app.services import backups, enrolment, packages
        from app.sync import merge
        from app.sync import package as package_module

        patches = [
            (packages, "read_package"), (packages, "write_package"), (enrolment, "ensure_local_key"),
            (package_module, "canonical_json"), (package_module, "_extract"), (bagit, "make_bag"),
            (bagit.Bag, "validate"), (zipfile.ZipFile, "write"), (zipfile.ZipFile, "testzip"),
            (merge, "apply_changes"), (merge, "close_superseded"), (package_module.keys, "verify"),
            (bulk.BulkInserter, "insert"), (backups, "before_import"),
        ]
        saved = [(owner, attr, getattr(owner, attr)) for owner, attr in patches]
        for owner, attr, fn in saved:
            setattr(owner, attr, self._wrap(attr, fn))
        json_proxy = SimpleNamespace(loads=self._wrap("orjson.loads", orjson.loads), dumps=orjson.dumps,
                                     JSONDecodeError=orjson.JSONDecodeError)
        package_module.orjson = json_proxy
        try:
            yield self
        finally:
            for owner, attr, fn in saved:
                setattr(owner, attr, fn)
            package_module.orjson = orjson


def export(county_db: Path, out: Path, city_uid: str) -> dict:
    from app.services import packages
    from app.services.workspace import Workspace

    ws = Workspace.open(county_db)
    try:
        phases = Phases()
        with phases.watching():
            started = time.perf_counter()
            result = packages.export_package(ws, out, receiver=city_uid)
            total = time.perf_counter() - started
    finally:
        ws.close()
    with zipfile.ZipFile(out) as zf:
        raw = zf.getinfo("bag/data/changes.jsonl").file_size
    s = phases.seconds
    return {"total": total, "size": out.stat().st_size, "jsonl": raw, "changes": sum(result.counts.values()),
            "counts": result.counts, "phases": {
                "query revisions, build the change list": total - s["write_package"] - s["read_package"]
                - s["ensure_local_key"],
                "canonical JSON of the changes": s["canonical_json"],
                "BagIt: move payload, sha256 manifests": s["make_bag"],
                "zip (deflate)": s["write"],
                "zip test read": s["testzip"],
                "rest of writing (files, signature, fsync)": s["write_package"] - s["canonical_json"]
                - s["make_bag"] - s["write"] - s["testzip"],
                "read the copy back and verify it": s["read_package"],
            }}


def import_into(city_db: Path, package: Path) -> dict:
    from app.services import packages
    from app.services.workspace import Workspace

    ws = Workspace.open(city_db)
    sql = {"statements": 0, "seconds": 0.0}

    def before(_conn, _cursor, _statement, _parameters, context, _executemany) -> None:
        context._bench_started = time.perf_counter()

    def after(_conn, _cursor, _statement, _parameters, context, _executemany) -> None:
        sql["statements"] += 1
        sql["seconds"] += time.perf_counter() - context._bench_started

    try:
        phases = Phases()
        # time inside SQLite (the driver's execute) versus building the statements in Python
        event.listen(ws.db.engine, "before_cursor_execute", before)
        event.listen(ws.db.engine, "after_cursor_execute", after)
        with phases.watching():
            started = time.perf_counter()
            result = packages.import_package(ws, package)
            total = time.perf_counter() - started
    finally:
        ws.close()
    s = phases.seconds
    summary = result.summary()
    return {"total": total, "added": summary["added"], "known": summary["known"], "conflicts": len(summary["conflicts"]),
            "refused": len(summary["refused"]), "warnings": len(result.warnings),
            "again": result.already_imported, "statements": sql["statements"], "sql": sql["seconds"], "phases": {
                "unzip (safe extraction)": s["_extract"],
                "signature check": s["verify"],
                "full bag validation (re-hash every file)": s["validate"],
                "JSON parse": s["orjson.loads"],
                "rest of read_package (listing, attachments)": s["read_package"] - s["_extract"] - s["verify"]
                - s["validate"] - s["orjson.loads"],
                "merge (apply_changes, batched inserts aside)": s["apply_changes"] - s["close_superseded"]
                - s["insert"],
                "merge: batched inserts (executemany)": s["insert"],
                "merge: close superseded conflicts": s["close_superseded"],
                "automatic backup before the import (verified)": s["before_import"],
                "rest (checks, package row, commit)": total - s["read_package"] - s["apply_changes"]
                - s["before_import"],
            }}


def import_batch(city_db: Path, paths: list[Path]) -> tuple[float, Counter]:
    from app.services import package_batch
    from app.services.workspace import Workspace

    ws = Workspace.open(city_db)
    try:
        started = time.perf_counter()
        items = package_batch.import_packages(ws, paths)
        return time.perf_counter() - started, Counter(i.state for i in items)
    finally:
        ws.close()


def show_phases(phases: dict[str, float], total: float, indent: str = "      ") -> None:
    for label, seconds in phases.items():
        print(f"{indent}{label:44} {seconds:7.2f} s  {seconds / total:5.0%}" if total else "")


def mb(size: int) -> str:
    return f"{size / 1e6:7.1f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="1: the whole city (4,055 sub-projects); 10: ten times")
    parser.add_argument("--dir", type=Path, default=None, help="build the databases here, or reuse them")
    parser.add_argument("--acceptances", type=float, default=0.2,
                        help="share of sub-projects with a passed acceptance and a certificate (default 0.2)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="processes for building")
    args = parser.parse_args()

    tmp = None
    folder = args.dir
    if folder is None:
        tmp = tempfile.TemporaryDirectory(prefix="bench-sync-")
        folder = Path(tmp.name)
    started = time.perf_counter()
    counties, empty_city, reused = prepare(folder, args.scale, args.acceptances, args.jobs)
    work = folder / "run"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir()
    con = sqlite3.connect(empty_city)
    city_uid = con.execute("SELECT uid FROM nodes WHERE is_local = 1").fetchone()[0]
    con.close()
    total_subs = sum(SHARES.values()) * args.scale
    print(f"\nsync bench: {total_subs:,} sub-projects in nine counties (scale {args.scale}), "
          f"{args.acceptances:.0%} with a passed acceptance; {os.cpu_count()} CPUs; databases in {folder}"
          f"{' (reused)' if reused else ''}\n")

    # 1. full export of every county, the big one in detail
    print("full export package of each county (everything: the first package a county sends)")
    print(f"  {'county':10} {'changes':>9} {'export':>9} {'size':>10} {'JSON lines':>11}")
    exports: dict[str, dict] = {}
    for name in sorted(SHARES, key=lambda n: -SHARES[n]):
        out = work / f"{slug(name)}.zip"
        exports[name] = e = export(counties[name], out, city_uid)
        print(f"  {name:10} {e['changes']:9,} {e['total']:8.2f}s {mb(e['size'])} {mb(e['jsonl'])}", flush=True)
    total_export = sum(e["total"] for e in exports.values())
    print(f"  {'all nine':10} {sum(e['changes'] for e in exports.values()):9,} {total_export:8.2f}s "
          f"{mb(sum(e['size'] for e in exports.values()))} {mb(sum(e['jsonl'] for e in exports.values()))}")
    big = exports[BIG]
    print(f"\n  where {BIG}'s export time goes ({big['total']:.2f} s):")
    show_phases(big["phases"], big["total"])
    print("    records by table: " + ", ".join(f"{t} {n:,}" for t, n in sorted(big["counts"].items(),
                                                                                 key=lambda kv: -kv[1])))

    # 2. the big county's package into an empty city
    city = work / "city-one.db"
    copy_db(empty_city, city)
    one = import_into(city, work / f"{slug(BIG)}.zip")
    print(f"\n{BIG}'s package imported into an empty city: {one['total']:.2f} s for {big['changes']:,} changes "
          f"({one['total'] / max(big['changes'], 1) * 1e3:.2f} ms per change; added {one['added']:,}, "
          f"conflicts {one['conflicts']}, refused {one['refused']})")
    show_phases(one["phases"], one["total"])
    print(f"      besides the batched inserts, {one['statements']:,} statements through SQLAlchemy took "
          f"{one['sql']:.2f} s inside SQLite")
    again = import_into(city, work / f"{slug(BIG)}.zip")
    print(f"  the same package a second time: {again['total']:.2f} s (already imported: {again['again']}; "
          f"the whole package is checked again before it is recognised)")

    # 3. all nine into an empty city, one after the other
    city = work / "city-all.db"
    copy_db(empty_city, city)
    print("\nall nine county packages merged into an empty city database, one after the other:")
    merged: dict[str, dict] = {}
    phase_sum: dict[str, float] = defaultdict(float)
    for name in SHARES:
        merged[name] = m = import_into(city, work / f"{slug(name)}.zip")
        for label, seconds in m["phases"].items():
            phase_sum[label] += seconds
        print(f"  {name:10} {exports[name]['changes']:9,} changes {m['total']:8.2f} s  (added {m['added']:,}, "
              f"known {m['known']:,}, conflicts {m['conflicts']}, refused {m['refused']}, "
              f"warnings {m['warnings']})", flush=True)
    total_merge = sum(m["total"] for m in merged.values())
    if args.scale == 1:
        verdict = "MET" if total_merge < TARGET_CITY_MERGE_S else "NOT MET"
        target = f"target < {TARGET_CITY_MERGE_S:.0f} s at city size: {verdict}"
    else:
        target = f"the target (< {TARGET_CITY_MERGE_S:.0f} s) is for city size; {args.scale}x the data"
    print(f"  {'total':10} {sum(e['changes'] for e in exports.values()):9,} changes {total_merge:8.2f} s   ({target})")
    backed_up = phase_sum["automatic backup before the import (verified)"]
    print(f"  of which the nine automatic backups before each import: {backed_up:.2f} s; the merges alone: "
          f"{total_merge - backed_up:.2f} s")
    print("  where the city merge time goes:")
    show_phases(phase_sum, total_merge)
    statements = sum(m["statements"] for m in merged.values())
    print(f"      besides the batched inserts, {statements:,} statements through SQLAlchemy took "
          f"{sum(m['sql'] for m in merged.values()):.2f} s inside SQLite")
    size = sum(p.stat().st_size for p in work.glob("city-all.db*"))
    print(f"  city database afterwards: {mb(size).strip()}")

    # 4. the same nine chosen together (导入数据包 with several files): one backup for the batch
    batch_city = work / "city-batch.db"
    copy_db(empty_city, batch_city)
    print("\nthe same nine packages chosen together (one batch: one backup before the first merge):", flush=True)
    batch_s, states = import_batch(batch_city, [work / f"{slug(name)}.zip" for name in SHARES])
    print(f"  total {batch_s:8.2f} s   ({', '.join(f'{n} {state}' for state, n in states.items())}; "
          f"one after the other above: {total_merge:.2f} s)")
    print(f"\nwall time of this run (building included): {time.perf_counter() - started:.0f} s")
    shutil.rmtree(work, ignore_errors=True)
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
