"""Notices (通报) and their supervision opinions (督导意见).

A notice is drafted, then issued. An issued notice is part of the official record: it and
its opinions never change again, and neither can be deleted. A mistake is put right by a
correction (更正): a new draft copying the issued notice, numbered with a correction mark,
that supersedes the old one when it is issued. Both stay, with their full history.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AppError, NotFound, ValidationError
from app.i18n import N_, _
from app.models import Division, Notice, NoticeItem, Problem, SubProject, SupervisionRound
from app.services import fields, notice_numbers, records
from app.services.workspace import Workspace

LABELS: dict[str, str] = {
    "number": N_("文号"),
    "title": N_("标题"),
    "issue_date": N_("成文日期"),
    "issuer": N_("发文机关"),
    "recipients": N_("主送机关"),
    "preamble": N_("导语"),
    "round_uid": N_("督导轮次"),
    "division_uid": N_("县（区）"),
    "text": N_("督导意见"),
    "problem_uids": N_("关联问题"),
}


class NoticeLocked(AppError):
    """An issued (or superseded) notice was asked to change: it is part of the official record."""


@dataclass(frozen=True)
class LinkedProblem:
    uid: str
    sub_project_code: str
    sub_project_name: str
    division_name: str
    description: str
    #: Problem.state code (PROBLEM_STATES)
    state: str
    deadline: date | None


@dataclass(frozen=True)
class NoticeItemDetail:
    uid: str
    rev: str
    seq: int
    division_uid: str | None
    division_name: str
    text: str
    problem_uids: tuple[str, ...]
    problems: tuple[LinkedProblem, ...]

    def form_values(self) -> dict[str, Any]:
        return {"uid": self.uid, "rev": self.rev, "division_uid": self.division_uid, "text": self.text,
                "problem_uids": list(self.problem_uids)}


@dataclass(frozen=True)
class NoticeDetail:
    uid: str
    rev: str
    number: str
    title: str
    issue_date: date
    issuer: str
    recipients: str
    preamble: str
    status: str
    round_uid: str | None
    round_name: str
    supersedes_uid: str | None
    supersedes_number: str
    #: the issued correction that replaced this notice
    superseded_by_number: str
    items: tuple[NoticeItemDetail, ...]

    @property
    def editable(self) -> bool:
        return self.status == "draft"

    def issuers(self) -> list[str]:
        """Joint notices name several organs, separated by 、 or spaces."""
        return split_issuers(self.issuer)

    def form_values(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.title, "issue_date": self.issue_date.isoformat(),
                "issuer": self.issuer, "recipients": self.recipients, "preamble": self.preamble,
                "round_uid": self.round_uid}


@dataclass(frozen=True)
class NoticeRow:
    uid: str
    rev: str
    number: str
    title: str
    issue_date: date
    status: str
    item_count: int
    supersedes_uid: str | None


def split_issuers(issuer: str) -> list[str]:
    return [name for name in re.split(r"[\s、,，;；]+", issuer) if name]


# -- parsing ---------------------------------------------------------------------------
#: the 文号 parser (``notice_numbers`` holds the form and the correction marks)
parse_number = notice_numbers.parse


def _parse_header(session: Session, raw: Mapping[str, Any], current_uid: str | None,
                  supersedes_uid: str | None) -> tuple[dict[str, Any], dict[str, str]]:
    label = lambda key: _(LABELS[key])  # noqa: E731
    rules = {
        "number": lambda v: parse_number(v, label("number")),
        "title": lambda v: fields.text(v, label("title"), required=True, max_length=200),
        "issue_date": lambda v: fields.day(v, label("issue_date")),
        "issuer": lambda v: fields.text(v, label("issuer"), required=True, max_length=100),
        "recipients": lambda v: fields.text(v, label("recipients"), max_length=400),
        "preamble": lambda v: fields.text(v, label("preamble"), max_length=5000, multiline=True),
    }
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, rule in rules.items():
        try:
            values[key] = rule(raw.get(key))
        except fields.FieldError as exc:
            errors[key] = exc.message
    if "issue_date" in values and values["issue_date"] is None:
        errors["issue_date"] = _("“{label}”不能为空。").format(label=label("issue_date"))
    number, day = values.get("number"), values.get("issue_date")
    if number and day and supersedes_uid is None:
        year = notice_numbers.split(number)[1]
        if year != day.year:
            errors["number"] = _("“{label}”中的年份 {year} 与“{date_label}”（{day}）不一致。").format(
                label=label("number"), year=year, date_label=label("issue_date"), day=day.isoformat())
    if number and "number" not in errors:
        clash = session.scalar(select(Notice).where(Notice.number == number, Notice.deleted.is_(False),
                                                    Notice.uid != (current_uid or "")))
        if clash is not None:
            errors["number"] = _("“{label}”{number} 已被通报“{title}”使用，文号不能重复。").format(
                label=label("number"), number=number, title=clash.title)
    round_uid = raw.get("round_uid") or None
    if round_uid and session.scalar(select(SupervisionRound.id).where(
            SupervisionRound.uid == round_uid, SupervisionRound.deleted.is_(False))) is None:
        errors["round_uid"] = _("所选“{label}”已不存在，请重新选择。").format(label=label("round_uid"))
    values["round_uid"] = round_uid
    return values, errors


def _parse_items(session: Session, raw_items: Sequence[Mapping[str, Any]]) -> tuple[list[dict], dict[str, str]]:
    """Each opinion; errors keyed ``item:<n>:<field>`` (1-based, as the rows are numbered)."""
    parsed, errors = [], {}
    for n, raw in enumerate(raw_items, start=1):
        key = f"item:{n}:"
        try:
            text = fields.text(raw.get("text"), _(LABELS["text"]), required=True, max_length=3000, multiline=True)
        except fields.FieldError as exc:
            errors[key + "text"] = _("第 {n} 条意见：{message}").format(n=n, message=exc.message)
            text = ""
        division_uid = raw.get("division_uid") or None
        if division_uid and session.scalar(select(Division.id).where(Division.uid == division_uid)) is None:
            errors[key + "division_uid"] = _("第 {n} 条意见：所选县（区）不存在。").format(n=n)
        problem_uids = list(dict.fromkeys(raw.get("problem_uids") or ()))
        if problem_uids:
            found = set(session.scalars(select(Problem.uid).where(Problem.uid.in_(problem_uids),
                                                                  Problem.deleted.is_(False))))
            if len(found) < len(problem_uids):
                errors[key + "problem_uids"] = _("第 {n} 条意见关联的问题中有 {k} 个已被删除，请重新选择。").format(
                    n=n, k=len(problem_uids) - len(found))
        parsed.append({"uid": raw.get("uid"), "rev": raw.get("rev"), "division_uid": division_uid, "text": text,
                       "problem_uids": problem_uids})
    return parsed, errors


def validate(ws: Workspace, raw: Mapping[str, Any], items: Sequence[Mapping[str, Any]] = (), *,
             current_uid: str | None = None) -> None:
    """Check a draft's input without saving (create and update run the same checks)."""
    with ws.db.read() as session:
        supersedes = session.scalar(select(Notice.supersedes_uid).where(Notice.uid == (current_uid or "")))
        _values, errors = _parse_header(session, raw, current_uid, supersedes)
        errors.update(_parse_items(session, items)[1])
    if errors:
        raise ValidationError(errors)


# -- reading ---------------------------------------------------------------------------
def _live(session: Session, uid: str) -> Notice:
    return records.live(session, Notice, uid, _("找不到该通报，可能已被删除。"))


def _items(session: Session, notice_uid: str) -> list[NoticeItem]:
    return list(session.scalars(select(NoticeItem).where(NoticeItem.notice_uid == notice_uid,
                                                         NoticeItem.deleted.is_(False)).order_by(NoticeItem.seq)))


def _linked_problems(session: Session, uids: set[str]) -> dict[str, LinkedProblem]:
    if not uids:
        return {}
    rows = session.execute(
        select(Problem.uid, SubProject.code, SubProject.name, Division.name, Problem.description, Problem.state,
               Problem.deadline)
        .join(SubProject, SubProject.uid == Problem.sub_project_uid)
        .join(Division, Division.uid == SubProject.division_uid, isouter=True)
        .where(Problem.uid.in_(uids))).all()
    return {r[0]: LinkedProblem(r[0], r[1], r[2], r[3] or "", r[4], r[5], r[6]) for r in rows}


def _detail(session: Session, n: Notice) -> NoticeDetail:
    items = _items(session, n.uid)
    divisions = dict(session.execute(select(Division.uid, Division.name)).all())
    linked = _linked_problems(session, {u for item in items for u in item.problem_uids or ()})
    round_name = session.scalar(select(SupervisionRound.name).where(SupervisionRound.uid == n.round_uid)) or ""
    old = session.scalar(select(Notice.number).where(Notice.uid == n.supersedes_uid)) if n.supersedes_uid else ""
    newer = session.scalar(select(Notice.number).where(Notice.supersedes_uid == n.uid, Notice.deleted.is_(False),
                                                       Notice.status != "draft")) or ""
    return NoticeDetail(
        uid=n.uid, rev=n.rev, number=n.number, title=n.title, issue_date=n.issue_date, issuer=n.issuer,
        recipients=n.recipients, preamble=n.preamble, status=n.status, round_uid=n.round_uid,
        round_name=round_name, supersedes_uid=n.supersedes_uid, supersedes_number=old or "",
        superseded_by_number=newer,
        items=tuple(NoticeItemDetail(
            uid=i.uid, rev=i.rev, seq=i.seq, division_uid=i.division_uid,
            division_name=divisions.get(i.division_uid, "") if i.division_uid else "", text=i.text,
            problem_uids=tuple(i.problem_uids or ()),
            problems=tuple(linked[u] for u in i.problem_uids or () if u in linked)) for i in items))


def get(ws: Workspace, uid: str) -> NoticeDetail:
    with ws.db.read() as session:
        return _detail(session, _live(session, uid))


def list_notices(ws: Workspace, *, year: int | None = None, status: str | None = None) -> list[NoticeRow]:
    """Live notices, newest first; ``year`` is the year of the issue date."""
    counts = (select(NoticeItem.notice_uid, func.count().label("n")).where(NoticeItem.deleted.is_(False))
              .group_by(NoticeItem.notice_uid).subquery())
    query = (select(Notice.uid, Notice.rev, Notice.number, Notice.title, Notice.issue_date, Notice.status,
                    func.coalesce(counts.c.n, 0), Notice.supersedes_uid)
             .join(counts, counts.c.notice_uid == Notice.uid, isouter=True).where(Notice.deleted.is_(False)))
    if year is not None:
        query = query.where(Notice.issue_date >= date(year, 1, 1), Notice.issue_date <= date(year, 12, 31))
    if status:
        query = query.where(Notice.status == status)
    with ws.db.read() as session:
        rows = session.execute(query.order_by(Notice.issue_date.desc(), Notice.id.desc())).all()
    return [NoticeRow(*row) for row in rows]


def years(ws: Workspace) -> list[int]:
    with ws.db.read() as session:
        days = session.scalars(select(Notice.issue_date).where(Notice.deleted.is_(False))).all()
    return sorted({d.year for d in days}, reverse=True)


def defaults(ws: Workspace, today: date | None = None) -> dict[str, Any]:
    """Form values for a new notice: the next number of the latest issuer, who it went to."""
    today = today or date.today()
    with ws.db.read() as session:
        last = session.scalar(select(Notice).where(Notice.deleted.is_(False))
                              .order_by(Notice.issue_date.desc(), Notice.id.desc()).limit(1))
        if last is None:
            return {"issue_date": today.isoformat()}
        latest = notice_numbers.split(last.number)
        number = ""
        if latest is not None:
            numbers = session.scalars(select(Notice.number).where(Notice.deleted.is_(False))).all()
            seqs = [parts[2] for parts in map(notice_numbers.split, numbers)
                    if parts and parts[0] == latest[0] and parts[1] == today.year]
            number = notice_numbers.official(latest[0], today.year, max(seqs, default=0) + 1)
    return {"number": number, "issue_date": today.isoformat(), "issuer": last.issuer,
            "recipients": last.recipients}


def round_choices(ws: Workspace) -> list[tuple[str, str]]:
    with ws.db.read() as session:
        return [(r.uid, r.name) for r in session.execute(
            select(SupervisionRound.uid, SupervisionRound.name).where(SupervisionRound.deleted.is_(False))
            .order_by(SupervisionRound.number))]


def problem_choices(ws: Workspace, *, division_uid: str | None = None, keyword: str = "",
                    limit: int = 500) -> list[LinkedProblem]:
    """Problems an opinion may point at, newest first (for the picker)."""
    query = select(Problem.uid).join(SubProject, SubProject.uid == Problem.sub_project_uid).where(
        Problem.deleted.is_(False))
    if division_uid:
        query = query.where(SubProject.division_uid == division_uid)
    if keyword.strip():
        like = f"%{keyword.strip()}%"
        query = query.where(Problem.description.like(like) | SubProject.name.like(like) | SubProject.code.like(like))
    with ws.db.read() as session:
        uids = list(session.scalars(query.order_by(Problem.found_on.desc(), Problem.id.desc()).limit(limit)))
        linked = _linked_problems(session, set(uids))
    return [linked[u] for u in uids if u in linked]


# -- changes ---------------------------------------------------------------------------
def _require_draft(record: Notice) -> None:
    if record.status == "issued":
        raise NoticeLocked(_("通报 {number} 已印发，属于正式记录，不能修改或删除。如需改正，请使用“更正…”"
                             "生成更正稿，印发后原通报标记为已更正。").format(number=record.number))
    if record.status != "draft":
        raise NoticeLocked(_("通报 {number} 已被更正，属于正式记录，不能修改或删除。").format(number=record.number))


def _write_items(session: Session, ws: Workspace, notice_uid: str, parsed: list[dict]) -> None:
    """Make the notice's live opinions exactly ``parsed``, in that order (matched by uid)."""
    existing = {item.uid: item for item in _items(session, notice_uid)}
    kept = {p["uid"] for p in parsed if p.get("uid")}
    for uid, item in existing.items():
        if uid not in kept:
            records.delete(session, ws, item)
    for seq, p in enumerate(parsed, start=1):
        values = {"seq": seq, "division_uid": p["division_uid"], "text": p["text"], "problem_uids": p["problem_uids"]}
        item = existing.get(p.get("uid") or "")
        if item is None:
            records.create(session, ws, NoticeItem, {**values, "notice_uid": notice_uid})
        else:
            records.update(session, ws, item, values, expected_rev=p.get("rev"))


def create(ws: Workspace, raw: Mapping[str, Any], items: Sequence[Mapping[str, Any]] = ()) -> NoticeDetail:
    """A new draft with its opinions, in one transaction."""
    with ws.db.write() as session:
        values, errors = _parse_header(session, raw, None, None)
        parsed, item_errors = _parse_items(session, items)
        if errors or item_errors:
            raise ValidationError({**errors, **item_errors})
        record = records.create(session, ws, Notice, {**values, "status": "draft", "supersedes_uid": None})
        _write_items(session, ws, record.uid, [{**p, "uid": None} for p in parsed])
        return _detail(session, record)


def update(ws: Workspace, uid: str, raw: Mapping[str, Any], items: Sequence[Mapping[str, Any]] | None = None,
           *, expected_rev: str | None = None) -> NoticeDetail:
    """Save a draft's header and, when given, its whole list of opinions (add/edit/remove/reorder)."""
    with ws.db.write() as session:
        record = _live(session, uid)
        _require_draft(record)
        values, errors = _parse_header(session, raw, uid, record.supersedes_uid)
        parsed, item_errors = _parse_items(session, items or ())
        if errors or item_errors:
            raise ValidationError({**errors, **item_errors})
        records.update(session, ws, record, values, expected_rev=expected_rev)
        if items is not None:
            _write_items(session, ws, uid, parsed)
        return _detail(session, record)


def _edit_items(ws: Workspace, notice_uid: str, change) -> NoticeDetail:
    with ws.db.write() as session:
        record = _live(session, notice_uid)
        _require_draft(record)
        current = [{"uid": i.uid, "rev": i.rev, "division_uid": i.division_uid, "text": i.text,
                    "problem_uids": list(i.problem_uids or ())} for i in _items(session, notice_uid)]
        wanted = change(current)
        parsed, errors = _parse_items(session, wanted)
        if errors:
            raise ValidationError(errors)
        _write_items(session, ws, notice_uid, parsed)
        return _detail(session, record)


def _item_notice(ws: Workspace, item_uid: str) -> str:
    with ws.db.read() as session:
        notice_uid = session.scalar(select(NoticeItem.notice_uid).where(NoticeItem.uid == item_uid,
                                                                       NoticeItem.deleted.is_(False)))
    if notice_uid is None:
        raise NotFound(_("找不到该条督导意见，可能已被删除。"))
    return notice_uid


def add_item(ws: Workspace, notice_uid: str, raw: Mapping[str, Any], *, position: int | None = None) -> NoticeDetail:
    """Insert an opinion at ``position`` (0-based; default: last)."""
    def change(current: list[dict]) -> list[dict]:
        current.insert(len(current) if position is None else position, {**raw, "uid": None})
        return current
    return _edit_items(ws, notice_uid, change)


def update_item(ws: Workspace, item_uid: str, raw: Mapping[str, Any], *,
                expected_rev: str | None = None) -> NoticeDetail:
    def change(current: list[dict]) -> list[dict]:
        return [{**c, **raw, "uid": c["uid"], "rev": expected_rev or c["rev"]} if c["uid"] == item_uid else c
                for c in current]
    return _edit_items(ws, _item_notice(ws, item_uid), change)


def remove_item(ws: Workspace, item_uid: str) -> NoticeDetail:
    return _edit_items(ws, _item_notice(ws, item_uid), lambda current: [c for c in current if c["uid"] != item_uid])


def move_item(ws: Workspace, item_uid: str, offset: int) -> NoticeDetail:
    """Move an opinion up (negative) or down (positive); the rest renumber."""
    def change(current: list[dict]) -> list[dict]:
        index = next(i for i, c in enumerate(current) if c["uid"] == item_uid)
        current.insert(max(0, min(len(current) - 1, index + offset)), current.pop(index))
        return current
    return _edit_items(ws, _item_notice(ws, item_uid), change)


def delete(ws: Workspace, uid: str, *, expected_rev: str | None = None) -> None:
    """Tombstone a draft and its opinions; an issued notice refuses."""
    with ws.db.write() as session:
        record = _live(session, uid)
        _require_draft(record)
        for item in _items(session, uid):
            records.delete(session, ws, item)
        records.delete(session, ws, record, expected_rev=expected_rev)


def issue(ws: Workspace, uid: str, expected_rev: str | None = None) -> NoticeDetail:
    """印发: the draft becomes part of the record; a correction supersedes the notice it corrects."""
    with ws.db.write() as session:
        record = _live(session, uid)
        _require_draft(record)
        if not _items(session, uid):
            raise AppError(_("通报 {number} 还没有督导意见，至少填写一条后才能印发。").format(number=record.number))
        old = None
        if record.supersedes_uid:
            old = _live(session, record.supersedes_uid)
            if old.status != "issued":
                raise AppError(_("原通报 {number} 已被更正过，不能再用这份更正稿更正。").format(number=old.number))
        records.update(session, ws, record, {"status": "issued"}, expected_rev=expected_rev, action="issue")
        if old is not None:
            records.update(session, ws, old, {"status": "superseded"}, action="supersede",
                           note=_("由 {number} 更正").format(number=record.number))
        return _detail(session, record)


def correct(ws: Workspace, uid: str) -> NoticeDetail:
    """A correction draft copying the issued notice; an existing draft correction is returned as is."""
    with ws.db.write() as session:
        old = _live(session, uid)
        if old.status != "issued":
            message = (_("通报 {number} 还是草稿，直接编辑即可，无需更正。") if old.status == "draft"
                       else _("通报 {number} 已被更正，请更正最新的一份。"))
            raise AppError(message.format(number=old.number))
        pending = session.scalar(select(Notice).where(Notice.supersedes_uid == uid, Notice.deleted.is_(False),
                                                      Notice.status == "draft"))
        if pending is not None:
            return _detail(session, pending)
        base = notice_numbers.base(old.number)
        taken = set(session.scalars(select(Notice.number).where(Notice.deleted.is_(False),
                                                                Notice.number.startswith(base))))
        n = 1
        while base + notice_numbers.correction_mark(n) in taken:
            n += 1
        values = {c: getattr(old, c) for c in ("title", "issuer", "recipients", "preamble", "round_uid")}
        record = records.create(session, ws, Notice, {
            **values, "number": base + notice_numbers.correction_mark(n), "issue_date": date.today(), "status": "draft",
            "supersedes_uid": old.uid})
        _write_items(session, ws, record.uid, [
            {"uid": None, "division_uid": i.division_uid, "text": i.text, "problem_uids": list(i.problem_uids or ())}
            for i in _items(session, uid)])
        return _detail(session, record)
