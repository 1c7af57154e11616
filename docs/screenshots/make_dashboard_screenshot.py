"""Screenshot of the dashboard on a city demo database: python docs/screenshots/make_dashboard_screenshot.py

The demo has no acceptances, so this script adds some through the services (about one
completed sub-project in five inspected, one in eight of those failing first), dated
like the demo's own field work (2015-2017): certificates get the day after the
acceptance. Also writes the three charts as PNGs into a temporary folder, the way
"保存图表为 PNG" does, and checks they are not empty.
"""

from __future__ import annotations

import argparse
import random
import tempfile
from datetime import date, timedelta
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from sqlalchemy import select  # noqa: E402

from app.models import SubProject  # noqa: E402
from app.services import acceptances, certificates, checklists, divisions  # noqa: E402
from app.services.workspace import Workspace  # noqa: E402
from app.ui.main_window import MainWindow  # noqa: E402


GROUP = [
    {"name": "杨建华", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
    {"name": "陈丽", "unit_kind": "archives_bureau", "role": "deputy", "vote": "agree"},
    {"name": "刘强", "unit_kind": "finance_bureau", "vote": "agree"},
    {"name": "周敏", "unit_kind": "development_commission", "vote": "agree"},
    {"name": "吴刚", "unit_kind": "housing_bureau", "vote": "agree"},
]


class _Day(date):
    fixed = date(2016, 1, 1)

    @classmethod
    def today(cls):
        return cls.fixed


def add_acceptances(ws: Workspace, *, share: int = 5, seed: int = 7) -> int:
    """Inspect one completed sub-project in ``share``; a few fail first and pass on re-inspection."""
    rng = random.Random(seed)
    template = checklists.get(ws, checklists.ensure_default(ws))
    veto = next(i for i in template.items if i.veto)
    passing = {i.uid: ({"passed": True} if i.kind == "pass_fail" else
                       {"self_score": str(i.max_score), "group_score": str(i.max_score)}) for i in template.items}
    with ws.db.read() as session:
        completed = list(session.scalars(select(SubProject.uid).where(
            SubProject.deleted.is_(False), SubProject.construction_status == "completed").order_by(SubProject.code)))
    chosen = [uid for uid in completed if rng.randrange(share) == 0]
    certificates.date = _Day  # certificates carry the demo's dates, not today's
    for uid in chosen:
        day = date(2015, 6, 1) + timedelta(days=rng.randrange(0, 900))
        failing = rng.randrange(8) == 0
        a = acceptances.create(ws, uid, {"acceptance_date": day.isoformat()})
        acceptances.set_members(ws, a.uid, GROUP)
        acceptances.set_scores(ws, a.uid, {**passing, veto.uid: {"passed": False}} if failing else passing)
        if failing:
            acceptances.conclude(ws, a.uid, opinions=["补编竣工图并加盖竣工图章"],
                                 rectification_deadline=(day + timedelta(days=60)).isoformat())
            if rng.randrange(2):
                continue  # still waiting for its re-inspection
            day += timedelta(days=75)
            a = acceptances.reinspect(ws, a.uid, {"acceptance_date": day.isoformat()})
            acceptances.set_members(ws, a.uid, GROUP)
            acceptances.set_scores(ws, a.uid, passing)
        _Day.fixed = day + timedelta(days=1)
        acceptances.conclude(ws, a.uid)
    return len(chosen)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sub-projects", type=int, default=4055)
    parser.add_argument("--out", type=Path, default=OUT / "dashboard.png")
    parser.add_argument("--charts", type=Path, default=None, help="also keep the three chart PNGs in this folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(tmp)
        ws = open_node(Path(tmp) / "demo.db", divisions.CITY_CODE, "张晓梅", sub_projects=args.sub_projects)
        inspected = add_acceptances(ws)
        window = MainWindow(ws)
        window.resize(1440, 900)
        window.show()
        page = window.show_module("dashboard")
        while page.board is None:
            app.processEvents()
        app.processEvents()
        window.grab().save(str(args.out))
        for n, panel in enumerate((page.progress_bars, page.problem_bars, page.lines)):
            saved = page.save_chart(panel, (args.charts or Path(tmp)) / f"chart-{n}.png")
            assert saved.stat().st_size > 10_000, saved
        print(f"{args.out}: {inspected} acceptances added; dashboard counted in {page.board.seconds * 1000:.0f} ms")
        window.close()
        ws.close()


if __name__ == "__main__":
    main()
