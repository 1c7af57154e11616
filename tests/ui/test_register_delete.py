"""Deleting from the register: a sub-project of the official record is refused and stays;
otherwise the question names what goes with it."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from app.services import visits
from tests.db_snapshot import db_snapshot
from tests.test_acceptances import certify
from tests.ui.test_register_window import populated, shown_codes, window  # noqa: F401 - fixtures


def _press_delete(qtbot, window, *rows):
    table = window.register.table
    table.setFocus()
    table.selectRow(rows[0])
    for row in rows[1:]:
        table.selectionModel().select(window.register.model.index(row, 0),
                                      table.selectionModel().SelectionFlag.Select
                                      | table.selectionModel().SelectionFlag.Rows)
    qtbot.keyClick(table, Qt.Key.Key_Delete)


def test_a_certified_sub_project_is_refused_with_the_reason_and_its_row_stays(qtbot, ws, window, populated,
                                                                              monkeypatch):
    cert = certify(ws, populated["01"])
    asked, warned = [], []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append((title, text)))
    before = db_snapshot(ws)

    _press_delete(qtbot, window, 0)

    assert asked == []  # refused before anything is asked
    assert warned == [("不能删除子项目", f"子项目“SP-01 古城村农房重建一期”已签发验收合格证书 {cert.number}号，"
                                       "属于正式档案记录，不能删除。")]
    assert shown_codes(window) == ["SP-01", "SP-02", "SP-03", "SP-04", "SP-05"]
    assert window.count_label.text() == "显示 5 / 共 5 个子项目"
    assert "已删除" not in window.statusBar().currentMessage()
    assert db_snapshot(ws) == before


def test_one_refused_sub_project_among_several_keeps_them_all(qtbot, ws, window, populated, monkeypatch):
    certify(ws, populated["02"])
    warned = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr(QMessageBox, "warning", lambda parent, title, text, *a: warned.append(text))
    _press_delete(qtbot, window, 0, 1, 2)
    assert warned[0].startswith("选中的 3 个子项目中有 1 个不能删除，未删除任何子项目：\n子项目“SP-02")
    assert shown_codes(window) == ["SP-01", "SP-02", "SP-03", "SP-04", "SP-05"]


def test_the_question_names_the_visits_and_open_problems_that_go_with_it(qtbot, ws, window, populated, monkeypatch):
    visits.create(ws, populated["01"].uid, {"visit_date": "2015-03-02", "kind": "mid_term_check",
                                            "archivists": "张晓梅"},
                  [{"category": "as_built", "description": "竣工图未盖章", "deadline": "2015-04-30"}])
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a[2]) or QMessageBox.StandardButton.Yes)
    _press_delete(qtbot, window, 0)
    assert "将一并删除其 1 次现场指导、1 个待整改问题。" in asked[0]
    assert shown_codes(window) == ["SP-02", "SP-03", "SP-04", "SP-05"]
    assert visits.for_sub_project(ws, populated["01"].uid) == []
