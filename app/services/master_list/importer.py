"""Import the master list: plan first (the preview), then commit exactly what was previewed.

Rows are checked with the sub-project service's own field rules, so a value the dialog
refuses is refused here with the same message, plus the rules of a whole file (duplicate
codes, one name per master code, divisions as people write them).
"""

from __future__ import annotations

import difflib
import functools
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app.db.bulk import bulk_page_cache
from app.errors import StaleRecord
from app.i18n import _
from app.models import Division, MasterProject, SubProject
from app.services import fields, records, sub_projects
from app.services.display import format_value
from app.services.master_list.cells import display, is_blank, to_raw
from app.services.master_list.columns import BY_KEY, COLUMNS
from app.services.master_list.plan import FieldChange, ImportPlan, PlannedRecord, Rejection, SourceRow
from app.services.master_list.reader import Sheet, read_master_list
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

PROGRESS_EVERY = 500
#: values a new sub-project gets for the columns its file does not have
SUB_DEFAULTS: dict[str, Any] = {
    "sector": "", "investment_yuan": None, "foreign_loan": False, "start_date": None, "finish_date": None,
    "construction_status": "not_started", "demonstration_site": False, "archive_lead": "",
    "archive_lead_phone": "", "archivist": "", "archivist_phone": "", "remarks": "",
}
_SUB_COLUMNS = tuple(SubProject.content_columns())


@dataclass
class ImportState:
    """What the database holds now, loaded once for the whole file."""

    divisions: dict[str, str]  # any accepted spelling -> uid
    division_names: dict[str, str]  # uid -> full name
    masters: dict[str, dict[str, Any]]  # plan_code -> row
    master_labels: dict[str, str]  # uid -> "code name"
    subs: dict[str, dict[str, Any]]  # code -> row


def load_state(ws: Workspace) -> ImportState:
    d, m, s = Division.__table__, MasterProject.__table__, SubProject.__table__
    with ws.db.read() as session:
        divisions: dict[str, str] = {}
        names: dict[str, str] = {}
        for uid, code, name, short, kind in session.execute(
                select(d.c.uid, d.c.code, d.c.name, d.c.short_name, d.c.kind).where(d.c.deleted.is_(False))):
            names[uid] = name
            if kind != "city":
                divisions.update({name: uid, short: uid, code: uid})
        masters = {row.plan_code: row._asdict() for row in session.execute(
            select(m.c.uid, m.c.rev, m.c.plan_code, m.c.name, m.c.division_uid).where(m.c.deleted.is_(False)))}
        subs = {row.code: row._asdict() for row in session.execute(
            select(s.c.uid, s.c.rev, *(s.c[c] for c in _SUB_COLUMNS)).where(s.c.deleted.is_(False)))}
    labels = {row["uid"]: f"{code} {row['name']}" for code, row in masters.items()}
    return ImportState(divisions, names, masters, labels, subs)


class RowCheck:
    """One data row on its way through the checks."""

    __slots__ = ("number", "cells", "sheet", "rejections", "values", "division_uid", "plan_code", "master_name",
                 "code")

    def __init__(self, number: int, cells: list[Any], sheet: Sheet) -> None:
        self.number = number
        self.cells = cells
        self.sheet = sheet
        self.rejections: list[Rejection] = []
        self.values: dict[str, Any] = {}
        self.division_uid: str | None = None
        self.plan_code = ""
        self.master_name = ""
        self.code = ""

    def cell(self, key: str) -> Any:
        index = self.sheet.key_index.get(key)
        return self.cells[index] if index is not None and index < len(self.cells) else None

    def reject(self, key: str, message: str) -> None:
        index = self.sheet.key_index.get(key)
        header = self.sheet.headers[index] if index is not None else _(BY_KEY[key].header)
        self.rejections.append(Rejection(self.number, header, display(self.cell(key)), message))


def _suggest(text: str, state: ImportState) -> str:
    names = sorted(set(state.division_names[uid] for uid in state.divisions.values()))
    close = difflib.get_close_matches(text, names, n=3, cutoff=0.3)
    close += [n for n in names if text and (text in n or n[:2] == text[:2]) and n not in close]
    return "、".join(close[:3]) or "、".join(names)


def _master_name_rule(value: Any, label: str) -> str:
    return fields.text(value, label, required=True)


class RowChecker:
    """The checks of one sheet's rows, with what does not depend on the row decided once.

    The sub-project fields go through ``sub_projects.parse_fields``, the dialog's own
    rules (and its rules across fields), for the columns the file has.
    """

    def __init__(self, sheet: Sheet, state: ImportState) -> None:
        self.sheet = sheet
        self.state = state
        index = sheet.key_index
        self._width = max(index.values(), default=-1) + 1
        self._division = (index.get("division"), BY_KEY["division"], _(BY_KEY["division"].header))
        self._master_fields = tuple((key, index.get(key), BY_KEY[key], rule, _(BY_KEY[key].header))
                                    for key, rule in (("plan_code", fields.code), ("master_name", _master_name_rule)))
        # form key, cell index, column: in ``COLUMNS`` order, as ``parse_fields`` reports them
        self._fields = tuple((c.key, index[c.key], c) for c in COLUMNS
                             if c.key in sub_projects.FIELD_RULES and c.key in index)
        self._rules = sub_projects.field_rules(key for key, _i, _c in self._fields)
        #: division as written -> uid (or None): a list names a handful of divisions thousands of times
        self._division_uids: dict[str, str | None] = {}

    def _division_uid(self, text: str) -> str | None:
        try:
            return self._division_uids[text]
        except KeyError:
            uid = self.state.divisions.get(text) or self.state.divisions.get(fields.normalize(text))
            self._division_uids[text] = uid
            return uid

    def check(self, row: RowCheck) -> None:
        cells = row.cells
        if len(cells) < self._width:
            cells = [*cells, *([None] * (self._width - len(cells)))]
        index, column, label = self._division
        division_text = to_raw(column, cells[index]) if index is not None else ""
        if not division_text:
            row.reject("division", _("“{label}”不能为空。").format(label=label))
        else:
            row.division_uid = self._division_uid(division_text)
            if row.division_uid is None:
                row.reject("division", _("未知的县（区）“{value}”。您是否要填：{names}？").format(
                    value=division_text, names=_suggest(division_text, self.state)))
        for key, index, column, rule, label in self._master_fields:
            try:
                value = rule(to_raw(column, cells[index]) if index is not None else "", label)
            except fields.FieldError as exc:
                row.reject(key, exc.message)
            else:
                setattr(row, key, value)

        raw = {}
        for key, index, column in self._fields:
            cell = cells[index]
            # ``to_raw`` with ``cells.is_plain`` inlined: most of a list's cells (70,000 at 4,055 rows)
            raw[key] = (cell.strip() if cell.__class__ is str and "  " not in cell and cell.isprintable()
                        else to_raw(column, cell))
        if raw.get("construction_status") == "":
            del raw["construction_status"]  # an empty status cell keeps what is stored
        values, errors = sub_projects.parse_fields(raw, only_present=True, rules=self._rules)
        for key, message in errors.items():
            row.reject(key, message)
        row.values = values
        row.code = values.get("code", "")


def check_row(row: RowCheck, state: ImportState) -> None:
    """Check one row on its own (``RowChecker`` checks a whole sheet's)."""
    RowChecker(row.sheet, state).check(row)


def _changes(old: dict[str, Any], new: dict[str, Any], state: ImportState, labels: dict[str, str]) -> list[FieldChange]:
    out = []
    for column, value in new.items():
        if old.get(column) != value:
            fmt = dict(division_names=state.division_names, master_label=lambda uid: labels.get(uid, uid))
            out.append(FieldChange(column, _(sub_projects.LABELS[column]), format_value(column, old.get(column), **fmt),
                                   format_value(column, value, **fmt)))
    return out


def _without_cycle_collection(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Run ``fn`` with the cyclic garbage collector paused (reference counting frees as usual).

    An import makes a few hundred thousand lists, dicts and records that all live until it
    ends; the collector would walk them again and again for nothing (a sixth of the check
    of 40,550 rows). It is resumed, and catches up, as soon as ``fn`` returns or raises.
    """
    @functools.wraps(fn)
    def paused(*args: Any, **kwargs: Any) -> Any:
        if not gc.isenabled():
            return fn(*args, **kwargs)
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            gc.enable()
    return paused


def _uid_stream() -> Iterator[str]:
    while True:
        yield from records.new_uids(256)  # a few at a time: ``new_uid`` one by one costs more than the check


@_without_cycle_collection
def plan_import(ws: Workspace, path: Path, *, cancel: CancelToken | None = None,
                progress: ProgressSink = no_progress) -> ImportPlan:
    """Read and check the whole file; nothing is written. Raises ``WorkbookError`` if unreadable."""
    progress(0, 0, _("正在读取 {name}…").format(name=Path(path).name))
    sheet = read_master_list(Path(path))
    state = load_state(ws)
    plan = ImportPlan(Path(path), sheet.name, sheet.header_row + 1, sheet.headers, sheet.ignored)
    data = sheet.rows[sheet.header_row + 1:]
    total = len(data)
    rows: list[RowCheck] = []
    checker = RowChecker(sheet, state)
    code_index, name_index = sheet.key_index["code"], sheet.key_index["name"]
    first = sheet.header_row + 2
    for offset, cells in enumerate(data):
        if offset % PROGRESS_EVERY == 0:
            progress(offset, total, _("正在检查第 {n} 行…").format(n=first + offset))
            if cancel is not None:
                cancel.check()
        width = len(cells)
        if ((code_index >= width or is_blank(cells[code_index]))
                and (name_index >= width or is_blank(cells[name_index]))):
            plan.skipped.append(first + offset)
            continue
        row = RowCheck(first + offset, cells, sheet)
        checker.check(row)
        rows.append(row)

    first_name: dict[str, RowCheck] = {}
    by_code: dict[str, list[RowCheck]] = {}
    for row in rows:
        if row.plan_code and row.master_name:
            earlier = first_name.setdefault(row.plan_code, row)
            if earlier is not row and earlier.master_name != row.master_name:
                row.reject("master_name", _("总规项目编号 {code} 在第 {row} 行的名称是“{earlier}”，本行却是“{name}”：同一编号只能有一个名称。").format(
                    code=row.plan_code, row=earlier.number, earlier=earlier.master_name, name=row.master_name))
        if row.code:
            by_code.setdefault(row.code, []).append(row)
    for code, same in by_code.items():
        if len(same) > 1:
            for row in same:
                others = "、".join(str(o.number) for o in same if o is not row)
                row.reject("code", _("子项目编号 {code} 在文件中重复出现（另见第 {rows} 行），重复的行都不导入。").format(
                    code=code, rows=others))

    labels = dict(state.master_labels)
    planned_masters: dict[str, PlannedRecord] = {}
    fresh_uids = _uid_stream()
    for row in rows:
        if row.rejections:
            plan.rejected.extend(row.rejections)
            plan.rejected_rows.append(SourceRow(row.number, tuple(row.cells)))
            continue
        existing_master = state.masters.get(row.plan_code)
        if existing_master is not None:
            master_uid = existing_master["uid"]
            if existing_master["name"] != row.master_name and row.plan_code not in planned_masters:
                planned_masters[row.plan_code] = record = PlannedRecord(
                    row.number, "master_projects", row.plan_code, row.master_name, {"name": row.master_name},
                    uid=master_uid, expected_rev=existing_master["rev"],
                    changes=[FieldChange("name", _("总规项目名称"), existing_master["name"], row.master_name)])
                plan.masters_updated.append(record)
        elif row.plan_code in planned_masters:
            master_uid = planned_masters[row.plan_code].uid
        else:
            master_uid = next(fresh_uids)
            planned_masters[row.plan_code] = record = PlannedRecord(
                row.number, "master_projects", row.plan_code, row.master_name,
                {"plan_code": row.plan_code, "name": row.master_name, "division_uid": row.division_uid,
                 "sector": row.values.get("sector", ""), "owner_unit": row.values.get("owner_unit", ""),
                 "investment_yuan": None, "foreign_loan": row.values.get("foreign_loan", False)},
                uid=master_uid)
            plan.masters_created.append(record)
            labels[master_uid] = f"{row.plan_code} {row.master_name}"
        existing = state.subs.get(row.code)
        if existing is None:
            plan.created.append(PlannedRecord(
                row.number, "sub_projects", row.code, row.values.get("name", ""),
                {**SUB_DEFAULTS, **row.values, "division_uid": row.division_uid, "master_project_uid": master_uid},
                uid=next(fresh_uids)))
            continue
        values = {**row.values, "division_uid": row.division_uid, "master_project_uid": master_uid}
        changes = _changes(existing, values, state, labels)
        if not changes:
            plan.unchanged.append(row.number)
            continue
        plan.updated.append(PlannedRecord(row.number, "sub_projects", row.code, values.get("name", ""),
                                          {c.key: values[c.key] for c in changes}, uid=existing["uid"],
                                          expected_rev=existing["rev"], changes=changes))
    progress(total, total, _("检查完成"))
    return plan


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    masters_created: int
    masters_updated: int


@_without_cycle_collection
def commit_import(ws: Workspace, plan: ImportPlan, *, cancel: CancelToken | None = None,
                  progress: ProgressSink = no_progress) -> ImportResult:
    """Apply the plan in one transaction: every accepted row or none.

    A record changed since the preview (its revision moved on, or its code was taken)
    aborts the whole import with ``StaleRecord``; the user previews again.
    """
    total = len(plan.masters_created) + len(plan.masters_updated) + len(plan.created) + len(plan.updated)
    message = _("正在写入数据库…")
    done = 0
    try:
        with ws.db.write() as session, bulk_page_cache(session):
            records.bulk_create(session, ws, MasterProject, [r.values for r in plan.masters_created],
                                uids=[r.uid for r in plan.masters_created], total=total, cancel=cancel,
                                progress=progress, message=message)
            done += len(plan.masters_created)
            for model, planned in ((MasterProject, plan.masters_updated), (SubProject, plan.updated)):
                for r in planned:
                    record = session.scalar(select(model).where(model.uid == r.uid, model.deleted.is_(False)))
                    if record is None:
                        raise StaleRecord(_("第 {row} 行对应的记录 {code} 在预览后已被删除，请重新预览。").format(
                            row=r.row, code=r.code))
                    records.update(session, ws, record, r.values, expected_rev=r.expected_rev)
                    done += 1
                    if done % PROGRESS_EVERY == 0:
                        progress(done, total, message)
                        if cancel is not None:
                            cancel.check()
            offset = done

            def sub_progress(n: int, _total: int, text: str) -> None:
                progress(offset + n, total, text)

            records.bulk_create(session, ws, SubProject, [r.values for r in plan.created],
                                uids=[r.uid for r in plan.created], total=len(plan.created), cancel=cancel,
                                progress=sub_progress, message=message)
    except IntegrityError:
        raise StaleRecord(_("导入的编号在预览后已被其他操作使用，数据库未作任何修改。请重新预览后再导入。")) from None
    except StaleRecord as exc:
        raise StaleRecord(exc.message + _("（本次导入未作任何修改）")) from None
    return ImportResult(len(plan.created), len(plan.updated), len(plan.masters_created), len(plan.masters_updated))
