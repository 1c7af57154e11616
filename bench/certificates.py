"""Certificates: time one certificate and a batch of 200, with one and with two processes.

    python bench/certificates.py [--count 200] [--singles 50]

Builds a throw-away database with ``--count`` passed acceptances through the services
(as the tests do), then prints: the first certificate (reportlab import and font
registration included), the median of ``--singles`` single renders in this process (font
registered; PDF written atomically, fsync included), and a batch of all of them with one
process and with two. Targets (2-core machine): < 60 ms per certificate, a batch of 200
< 8 s on two cores.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GROUP = [
    {"name": "杨建华", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
    {"name": "陈丽", "unit_kind": "archives_bureau", "role": "deputy", "vote": "agree"},
    {"name": "刘强", "unit_kind": "finance_bureau", "vote": "agree"},
    {"name": "周敏", "unit_kind": "development_commission", "vote": "agree"},
    {"name": "吴刚", "unit_kind": "housing_bureau", "vote": "disagree"},
    {"name": "赵晓燕", "unit_kind": "archives_bureau", "unit_name": "芦山县档案局", "vote": "agree"},
    {"name": "孙志远", "unit_kind": "other", "unit_name": "龙门乡人民政府", "vote": "agree"},
]


def build(db: Path, count: int) -> list[str]:
    """``count`` sub-projects, each with a passed acceptance; returns the certificate uids."""
    from app.services import acceptances, certificates, checklists, divisions, master_projects, node, sub_projects
    from app.services.workspace import Workspace

    ws = Workspace.open(db)
    try:
        lushan = divisions.find_division(ws, "芦山县")
        node.setup_node(ws, division_uid=lushan.uid, operator="bench")
        template = checklists.get(ws, checklists.ensure_default(ws))
        scores = {i.uid: ({"passed": True} if i.kind == "pass_fail" else
                          {"self_score": str(i.max_score), "group_score": str(i.max_score - (i.max_score > 3))})
                  for i in template.items}
        master = master_projects.create(ws, {"plan_code": "511826-ZG-0001", "name": "芦山县龙门乡古城村农房重建",
                                             "division_uid": lushan.uid, "owner_unit": "龙门乡人民政府"})
        uids = []
        for n in range(1, count + 1):
            sub = sub_projects.create(ws, {
                "code": f"511826-ZG-0001-{n:03d}", "name": f"古城村农房重建第{n}批", "division_uid": lushan.uid,
                "master_project_uid": master.uid, "owner_unit": "芦山县龙门乡人民政府",
                "construction_status": "completed"})
            a = acceptances.create(ws, sub.uid, {
                "acceptance_date": "2016-05-10", "application_date": "2016-04-26", "total_volumes": "125",
                "sampled_volumes": "11", "total_drawings": "310", "sampled_drawings": "32",
                "accepted_volumes": "126", "accepted_items": "1840", "accepted_drawings": "312"})
            acceptances.set_members(ws, a.uid, GROUP)
            acceptances.set_scores(ws, a.uid, scores)
            acceptances.conclude(ws, a.uid)
            uids.append(certificates.for_acceptance(ws, a.uid)[0].uid)
        return uids
    finally:
        ws.close()


def spin(n: int = 3_000_000) -> float:
    started = time.perf_counter()
    total = 0
    for i in range(n):
        total += i
    return time.perf_counter() - started


def cpu_check() -> float:
    """How many cores this machine really gives now: 2.0 when two busy processes run as fast as one."""
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing import get_context

    alone = min(spin() for _ in range(3))
    with ProcessPoolExecutor(2, mp_context=get_context("spawn")) as pool:
        list(pool.map(spin, [1000] * 2))  # start both workers first
        started = time.perf_counter()
        list(pool.map(spin, [3_000_000] * 2))
        both = time.perf_counter() - started
    return 2 * alone / both


def line(label: str, seconds: float, target: str = "") -> None:
    print(f"{label:<52} {seconds * 1000:9.1f} ms   {target}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--singles", type=int, default=50)
    args = parser.parse_args()
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, "
          f"effective parallelism now {cpu_check():.2f} (other load on the machine lowers it)")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        uids = build(folder / "bench.db", args.count)
        line(f"build {args.count} passed acceptances (services)", time.perf_counter() - started)

        from app.services import certificates
        from app.services.workspace import Workspace

        ws = Workspace.open(folder / "bench.db")
        try:
            views = [certificates.get(ws, uid) for uid in uids]
            started = time.perf_counter()
            from app.reports import batch, certificate_pdf  # reportlab is imported here, the font on first use

            certificate_pdf.render_certificate(views[0], folder / "first.pdf")
            line("first certificate (import + font registration)", time.perf_counter() - started)
            times = []
            for n in range(args.singles):
                started = time.perf_counter()
                certificate_pdf.render_certificate(views[n % len(views)], folder / "single.pdf")
                times.append(time.perf_counter() - started)
            line(f"one certificate, median of {args.singles}", statistics.median(times), "target < 60 ms")
            size = (folder / "single.pdf").stat().st_size
            print(f"{'  certificate size':<52} {size / 1024:9.1f} KB")
            for processes in (1, 2):
                started = time.perf_counter()
                paths = batch.render_batch(ws, uids, folder / f"batch-{processes}", processes=processes)
                elapsed = time.perf_counter() - started
                target = "target < 8 s on two cores" if processes == 2 else ""
                line(f"batch of {len(paths)}, {processes} process{'es' if processes > 1 else ''}", elapsed, target)
        finally:
            ws.close()


if __name__ == "__main__":
    main()
