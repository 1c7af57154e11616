"""The ledger's state and overdue filters combined, as the page shows them."""

from __future__ import annotations

from datetime import date, timedelta

from app.services import problems, sub_projects, visits
from app.ui.ledger.ledger_page import LedgerPage
from tests.conftest import sub_project_input


def test_verified_and_overdue_together_show_nothing_and_count_no_overdue(qtbot, ws, master, lushan):
    sub = sub_projects.create(ws, sub_project_input(master, lushan))
    visits.create(ws, sub.uid, {"visit_date": "2015-03-02", "kind": "mid_term_check", "archivists": "张晓梅"}, [
        {"description": "Late one", "deadline": "2015-04-01", "responsible_person": "李"},
        {"description": "Verified one", "deadline": "2015-04-01", "responsible_person": "李"},
        {"description": "Not due yet", "deadline": (date.today() + timedelta(days=30)).isoformat(),
         "responsible_person": "李"},
    ])
    verified = next(p for p in problems.for_sub_project(ws, sub.uid) if p.description == "Verified one")
    problems.rectify(ws, verified.uid, rectification="done", rectified_by="李", rectified_on="2015-03-10")
    problems.verify(ws, verified.uid, passed=True, verified_on="2015-03-12")
    page = LedgerPage(ws)
    qtbot.addWidget(page)
    assert page.counts.text() == "显示 3 条，其中超期 1 条"

    bar = page.filter_bar
    bar.state.setCurrentIndex(bar.state.findData("verified"))
    assert page.counts.text() == "显示 1 条，其中超期 0 条"
    bar.overdue.setChecked(True)
    assert page.model.rowCount() == 0
    assert page.counts.text() == "显示 0 条，其中超期 0 条"

    bar.state.setCurrentIndex(bar.state.findData("open"))
    assert page.model.rowCount() == 1 and page.counts.text() == "显示 1 条，其中超期 1 条"
