"""Yearly assessment (考核) of the counties and city departments under a rule set (考核细则).

Only the city assesses. ``compute`` keeps one draft per year: it measures every computed
item for every subject on the reference date (``as_of``: year end, or today for the
current year) and keeps what people scored by hand. ``publish`` freezes the draft: from
then on the models refuse every change to it and its score rows (the official record).
A mistake is put right by ``correct``: a new draft on the same reference date that, once
published, supersedes the old one; both stay visible. A county can run ``preview``: its
own scores from its own data, nothing stored.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import SimpleNamespace
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AppError, ValidationError
from app.i18n import _
from app.models import Assessment, AssessmentRuleSet, AssessmentScore, Division, GuidanceVisit
from app.services import assessment_metrics as metrics
from app.services import assessment_rules as rules
from app.services import attachments, fields, notice_numbers, records
from app.services.assessment_metrics import Subject, YearData, number_text, rounded
from app.services.assessment_rules import RuleSetView, require_city
from app.services.assessment_views import (PREVIEW, AssessmentRow, AssessmentView, ScoreView, Standing, live,
                                           live_scores, score_view, standings, view)
from app.services.divisions import CITY_CODE
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

#: owner entity of the evidence attached to a manual score
ATTACHMENT_OWNER = "assessment_scores"
EVIDENCE_ROLES = ("scan", "photo", "other")
FIRST_YEAR = 2013

__all__ = ["AssessmentRow", "AssessmentView", "ScoreView", "Standing", "compute", "correct", "discard", "get",
           "list_assessments", "preview", "publish", "score_manual"]


def _city_only(what: str) -> str:
    return _("只有市档案局可以{what}年度考核；县（区）节点可以查看已发布的考核结果，或“试算”本县（区）的得分（不保存）。").format(
        what=what)


def default_as_of(year: int, today: date | None = None) -> date:
    """The reference date: the year's last day, or today while the year runs."""
    today = today or date.today()
    if year > today.year:
        raise ValidationError({"year": _("{year} 年度尚未开始，不能考核。").format(year=year)})
    return date(year, 12, 31) if year < today.year else today


def _as_of(year: int, as_of: Any) -> date:
    try:
        day = fields.day(as_of, _("考核基准日")) if as_of not in (None, "") else None
    except fields.FieldError as exc:
        raise ValidationError({"as_of": exc.message}) from None
    if day is None:
        return default_as_of(year)
    if day.year != year:
        raise ValidationError({"as_of": _("考核基准日 {day} 不在 {year} 年度内。").format(day=day.isoformat(), year=year)})
    return day


def subjects(session: Session, rule_set: RuleSetView, *, only_division: str | None = None) -> list[Subject]:
    """The nine divisions (not the city), then the rule set's departments; a county sees itself."""
    rows = session.execute(select(Division.uid, Division.name).where(
        Division.deleted.is_(False), Division.code != CITY_CODE).order_by(Division.sort_order)).all()
    found = [Subject("division", uid, name, uid) for uid, name in rows if only_division in (None, uid)]
    if only_division is None:
        found += [Subject("department", d["code"], d["name"], None, tuple(d["sectors"])) for d in rule_set.departments]
    return found


def _manual_explanation(score: float | None, points: float, note: str) -> str:
    if score is None:
        return _("待考核组评分。")
    text = _("考核组评分 {score} 分，扣 {deduction} 分。").format(score=number_text(score),
                                                          deduction=number_text(points - score))
    return text + (_("理由：{note}").format(note=note) if note else "")


def _measure(data: YearData, rule_set: RuleSetView, found: list[Subject], cancel: CancelToken | None,
             progress: ProgressSink) -> list[dict[str, Any]]:
    """The content of every score row: computed items measured, manual ones waiting for a person."""
    rows: list[dict[str, Any]] = []
    items = rule_set.items
    for n, item in enumerate(items):
        progress(n, len(items), _("正在计算 {code} {title}…").format(code=item.code, title=item.title))
        if cancel is not None:
            cancel.check()
        for subject in metrics.subjects_for(item.scope, found):
            base = {"item_uid": item.uid, "subject_kind": subject.kind, "subject_key": subject.key,
                    "division_uid": subject.division_uid, "subject_name": subject.name, "points": item.points,
                    "note": "", "scored_by": "", "scored_on": None, "frozen": False}
            if item.kind == "manual":
                rows.append({**base, "score": None, "deduction": None, "figures": {}, "evidence": [],
                             "explanation": _manual_explanation(None, item.points, "")})
                continue
            outcome = metrics.measure(data, subject, item.metric, item.points, item.params)
            rows.append({**base, "score": outcome.score, "deduction": outcome.deduction, "figures": outcome.figures,
                         "explanation": outcome.explanation, "evidence": outcome.evidence})
    progress(len(items), len(items), "")
    return rows


def _basis(data: YearData, found: list[Subject]) -> dict[str, Any]:
    """The data the figures come from: per county, the export packages merged so far."""
    counties = []
    for subject in found:
        if subject.kind != "division":
            continue
        sent = data.packages.get(subject.division_uid or "", [])
        last = max(sent, key=lambda p: p[1]) if sent else None
        counties.append({"division_uid": subject.division_uid, "name": subject.name, "packages": len(sent),
                         "last_package_at": last[1].isoformat(timespec="minutes") if last else None,
                         "last_sequence": max((p[2] for p in sent), default=0)})
    return {"as_of": data.as_of.isoformat(), "computed_at": records.utcnow().isoformat(timespec="seconds"),
            "counties": counties}


def preview(ws: Workspace, year: int, *, rule_set_uid: str | None = None, as_of: Any = None,
            cancel: CancelToken | None = None, progress: ProgressSink = no_progress) -> AssessmentView:
    """The assessment as it would come out now, not stored (a county: its own scores only)."""
    day = _as_of(year, as_of)
    rules.ensure_default(ws)
    with ws.db.read() as session:
        rule_set = rules.view_in(session, rule_set_uid or _active_default(session))
        only = None if rules.is_city(ws) else ws.division_uid
        found = subjects(session, rule_set, only_division=only)
        data = YearData(session, year, day, ws.node_uid)
        rows = [SimpleNamespace(**row) for row in _measure(data, rule_set, found, cancel, progress)]
        items = {i.uid: i for i in rule_set.items}
        ranking = standings(rule_set, found, rows)
        order = {s.key: n for n, s in enumerate(ranking)}
        rows.sort(key=lambda r: (order.get(r.subject_key, len(order)), items[r.item_uid].seq))
        return AssessmentView("", "", year, PREVIEW, day, records.utcnow(), rule_set, "", default_title(year), "", "",
                              None, None, "", None, None, "", tuple(ranking), _basis(data, found),
                              tuple(score_view(r, items[r.item_uid]) for r in rows))


def _active_default(session: Session) -> str:
    """The active version of the default rule set's lineage, else any active version."""
    found = session.execute(select(AssessmentRuleSet.uid, AssessmentRuleSet.lineage_uid).where(
        AssessmentRuleSet.deleted.is_(False), AssessmentRuleSet.status == "active")
        .order_by(AssessmentRuleSet.version.desc())).all()
    for uid, lineage in found:
        if lineage == rules.default_uid():
            return uid
    if not found:
        raise AppError(_("没有启用的考核细则，请先在“考核细则”中启用一个版本。"))
    return found[0][0]


def _of_year(session: Session, year: int, status: str) -> Assessment | None:
    return session.scalar(select(Assessment).where(Assessment.year == year, Assessment.status == status,
                                                   Assessment.deleted.is_(False)).order_by(Assessment.id.desc()))


def _refresh(session: Session, ws: Workspace, record: Assessment, rule_set: RuleSetView,
             cancel: CancelToken | None, progress: ProgressSink) -> None:
    """Measure again into the draft's rows; what people scored by hand stays."""
    found = subjects(session, rule_set)
    data = YearData(session, record.year, record.as_of, ws.node_uid)
    existing = {(s.item_uid, s.subject_key): s for s in live_scores(session, record.uid)}
    manual = {i.uid for i in rule_set.items if i.kind == "manual"}
    wanted = set()
    for content in _measure(data, rule_set, found, cancel, progress):
        key = (content["item_uid"], content["subject_key"])
        wanted.add(key)
        row = existing.get(key)
        if row is None:
            records.create(session, ws, AssessmentScore, {**content, "assessment_uid": record.uid})
        elif content["item_uid"] in manual:
            records.update(session, ws, row, {k: content[k] for k in ("points", "subject_name", "division_uid")})
        else:
            records.update(session, ws, row, {k: v for k, v in content.items() if k != "frozen"})
    for key, row in existing.items():
        if key not in wanted:
            records.delete(session, ws, row)
    session.flush()
    ranking = standings(rule_set, found, live_scores(session, record.uid))
    records.update(session, ws, record, {"results": [s.as_dict() for s in ranking], "basis": _basis(data, found),
                                         "computed_at": records.utcnow()}, action="compute")


def compute(ws: Workspace, year: int, *, rule_set_uid: str | None = None, as_of: Any = None,
            cancel: CancelToken | None = None, progress: ProgressSink = no_progress) -> AssessmentView:
    """Compute (again) the year's draft; a year already published changes only by ``correct``."""
    require_city(ws, _city_only(_("计算和保存")))
    rules.ensure_default(ws)
    with ws.db.write() as session:
        draft = _of_year(session, year, "draft")
        if draft is None and _of_year(session, year, "published") is not None:
            raise AppError(_("{year} 年度考核结果已发布；如需改正，请选中它点“更正”，生成新的版本。").format(year=year))
        day = _as_of(year, as_of) if as_of not in (None, "") or draft is None else draft.as_of
        uid = rule_set_uid or (draft.rule_set_uid if draft is not None else _active_default(session))
        if draft is not None and draft.supersedes_uid:
            uid = draft.rule_set_uid  # a correction is judged by the rules of what it corrects
        rule_set = rules.view_in(session, uid)
        if (draft is None or draft.rule_set_uid != uid) and rule_set.status != "active":
            raise AppError(_("考核细则“{name}”第 {version} 版尚未启用（或已停用），不能用于新的考核。").format(
                name=rule_set.name, version=rule_set.version))
        if draft is None:
            draft = records.create(session, ws, Assessment, {
                "year": year, "rule_set_uid": uid, "status": "draft", "as_of": day, "computed_at": records.utcnow(),
                "number": "", "title": default_title(year), "issuer": "", "recipients": "", "published_on": None,
                "published_at": None, "published_by": "", "supersedes_uid": None, "superseded_by_uid": None,
                "correction_reason": "", "results": [], "basis": {}})
        elif draft.rule_set_uid != uid:
            if any(r.score is not None for r in live_scores(session, draft.uid) if r.scored_by):
                raise AppError(_("该考核草稿已有人工评分，不能更换考核细则；如需更换，请先删除草稿。"))
            records.update(session, ws, draft, {"rule_set_uid": uid, "as_of": day})
        else:
            records.update(session, ws, draft, {"as_of": day})
        _refresh(session, ws, draft, rule_set, cancel, progress)
        return view(session, draft)


def _parse_manual(item_points: float, score: Any, note: Any) -> tuple[float, str]:
    errors: dict[str, str] = {}
    value = None
    raw = fields.normalize(score)
    try:
        value = float(raw)
        if not 0 <= value <= item_points:
            errors["score"] = _("得分应在 0 到 {max} 分之间，不能是 {value}。").format(max=number_text(item_points),
                                                                            value=raw)
        elif round(value * 100) != value * 100:
            errors["score"] = _("得分最多保留两位小数：{value}。").format(value=raw)
    except ValueError:
        errors["score"] = _("得分应为数字，不能是“{value}”。").format(value=raw) if raw else _("请填写得分。")
    try:
        text = fields.text(note, _("评分理由"), max_length=2000, multiline=True)
    except fields.FieldError as exc:
        errors["note"], text = exc.message, ""
    if "score" not in errors and value is not None and value < item_points and not text:
        errors["note"] = _("扣分须写明理由（考核组的意见和依据）。")
    if errors:
        raise ValidationError(errors)
    return rounded(value), text


def _live_score(session: Session, uid: str) -> AssessmentScore:
    return records.live(session, AssessmentScore, uid, _("找不到该考核得分，可能已被删除或重新计算。"))


def _update_results(session: Session, ws: Workspace, record: Assessment) -> None:
    rule_set = rules.view_in(session, record.rule_set_uid)
    ranking = standings(rule_set, subjects(session, rule_set), live_scores(session, record.uid))
    records.update(session, ws, record, {"results": [s.as_dict() for s in ranking]})


def score_manual(ws: Workspace, score_uid: str, *, score: Any, note: Any,
                 expected_rev: str | None = None) -> ScoreView:
    """A person's score of a manual item, with the reason for any deduction (draft only)."""
    require_city(ws, _city_only(_("评分")))
    with ws.db.write() as session:
        row = _live_score(session, score_uid)
        record = live(session, row.assessment_uid)
        if record.status != "draft":
            raise AppError(row.refuse_change({}, deleting=True) or record.refuse_change({}, deleting=True))
        item = next(i for i in rules.view_in(session, record.rule_set_uid).items if i.uid == row.item_uid)
        if item.kind != "manual":
            raise AppError(_("{code} 按数据自动计算，不能人工评分；如数据有误，请改正数据后重新计算。").format(code=item.code))
        value, text = _parse_manual(row.points, score, note)
        records.update(session, ws, row, {
            "score": value, "deduction": rounded(row.points - value), "note": text, "scored_by": ws.operator,
            "scored_on": date.today(), "explanation": _manual_explanation(value, row.points, text)},
            expected_rev=expected_rev, action="score")
        _update_results(session, ws, record)
        return score_view(row, item)


def default_title(year: int) -> str:
    return _("关于{year}年度灾后恢复重建项目档案工作考核结果的通报").format(year=year)


def publish_defaults(ws: Workspace, uid: str, today: date | None = None) -> dict[str, Any]:
    """Form values for publishing: the next 文号 of the issuer, the usual issuer and recipients."""
    today = today or date.today()
    with ws.db.read() as session:
        record = live(session, uid)
        if record.supersedes_uid:
            old = live(session, record.supersedes_uid)
            base = notice_numbers.base(old.number)
            taken = set(session.scalars(select(Assessment.number).where(Assessment.deleted.is_(False))))
            n = 1
            while base + notice_numbers.correction_mark(n) in taken:
                n += 1
            return {"number": base + notice_numbers.correction_mark(n), "title": old.title, "issuer": old.issuer,
                    "recipients": old.recipients, "published_on": today.isoformat()}
        organ = _("雅重建委")
        numbers = session.scalars(select(Assessment.number).where(Assessment.deleted.is_(False))).all()
        seqs = [p[2] for p in map(notice_numbers.split, numbers) if p and p[0] == organ and p[1] == today.year]
    return {"number": notice_numbers.official(organ, today.year, max(seqs, default=0) + 1),
            "title": record.title or default_title(record.year),
            "issuer": _("雅安市灾后恢复重建委员会 雅安市档案局"),
            "recipients": _("各县（区）灾后恢复重建委员会、档案局，芦天宝飞地产业园区管委会，市级有关部门"),
            "published_on": today.isoformat()}


def _parse_publication(raw: Mapping[str, Any]) -> dict[str, Any]:
    rules_ = {
        "number": lambda v: notice_numbers.parse(v, _("文号")),
        "title": lambda v: fields.text(v, _("标题"), required=True, max_length=200),
        "issuer": lambda v: fields.text(v, _("发文机关"), required=True, max_length=100),
        "recipients": lambda v: fields.text(v, _("主送机关"), max_length=400),
        "published_on": lambda v: fields.day(v, _("发布日期")) or date.today(),
    }
    values, errors = {}, {}
    for key, rule in rules_.items():
        try:
            values[key] = rule(raw.get(key))
        except fields.FieldError as exc:
            errors[key] = exc.message
    if errors:
        raise ValidationError(errors)
    return values


def publish(ws: Workspace, uid: str, raw: Mapping[str, Any], *, expected_rev: str | None = None) -> AssessmentView:
    """发布: freeze the draft and its scores; a correction supersedes the assessment it corrects."""
    require_city(ws, _city_only(_("发布")))
    values = _parse_publication(raw)
    with ws.db.write() as session:
        record = live(session, uid)
        if record.status != "draft":
            raise AppError(record.refuse_change({}, deleting=True))
        rows = live_scores(session, uid)
        waiting = [r for r in rows if r.score is None]
        if waiting:
            raise AppError(_("尚有 {n} 项人工评分未完成（如 {subject} 的一项），评分完成后才能发布。").format(
                n=len(waiting), subject=waiting[0].subject_name))
        taken = session.scalar(select(Assessment.uid).where(Assessment.number == values["number"],
                                                            Assessment.deleted.is_(False), Assessment.uid != uid))
        if taken is not None:
            raise ValidationError({"number": _("文号 {number} 已被另一次考核使用。").format(number=values["number"])})
        old = live(session, record.supersedes_uid) if record.supersedes_uid else None
        if old is not None and old.status != "published":
            raise AppError(_("原考核结果 {number} 已被更正过，不能再用这份更正稿更正。").format(number=old.number))
        _update_results(session, ws, record)  # while it is a draft: the frozen ranking is the scores' own
        for row in rows:
            records.update(session, ws, row, {"frozen": True}, action="publish")
        records.update(session, ws, record, {**values, "status": "published", "published_at": records.utcnow(),
                                             "published_by": ws.operator}, expected_rev=expected_rev, action="publish")
        if old is not None:
            records.update(session, ws, old, {"status": "superseded", "superseded_by_uid": record.uid},
                           action="supersede", note=_("由 {number} 更正").format(number=record.number))
        return view(session, record)


def correct(ws: Workspace, uid: str, *, reason: str, cancel: CancelToken | None = None,
            progress: ProgressSink = no_progress) -> AssessmentView:
    """更正: a new draft of the published assessment ``uid`` on the same reference date, with
    its hand-scored items and their evidence copied; an existing correction draft is returned."""
    require_city(ws, _city_only(_("更正")))
    try:
        reason = fields.text(reason, _("更正原因"), required=True, max_length=1000, multiline=True)
    except fields.FieldError as exc:
        raise ValidationError({"reason": exc.message}) from None
    with ws.db.write() as session:
        old = live(session, uid)
        if old.status != "published":
            message = (_("该考核还是草稿，直接重新计算或修改评分即可，无需更正。") if old.status == "draft"
                       else _("该考核结果已被更正，请更正最新的一份。"))
            raise AppError(message)
        pending = _of_year(session, old.year, "draft")
        if pending is not None:
            if pending.supersedes_uid == uid:
                return view(session, pending)
            raise AppError(_("{year} 年度已有一份考核草稿，请先发布或删除它。").format(year=old.year))
        copied = {c: getattr(old, c) for c in ("year", "rule_set_uid", "as_of", "title", "issuer", "recipients")}
        record = records.create(session, ws, Assessment, {
            **copied, "status": "draft", "computed_at": records.utcnow(), "number": "", "published_on": None,
            "published_at": None, "published_by": "", "supersedes_uid": uid, "superseded_by_uid": None,
            "correction_reason": reason, "results": [], "basis": {}})
        carried: list[tuple[str, str]] = []
        for row in live_scores(session, uid):
            if not row.scored_by:
                continue  # computed: measured again below
            content = {c: getattr(row, c) for c in AssessmentScore.content_columns()}
            copy = records.create(session, ws, AssessmentScore, {**content, "assessment_uid": record.uid,
                                                                 "frozen": False})
            carried.append((row.uid, copy.uid))
        _refresh(session, ws, record, rules.view_in(session, record.rule_set_uid), cancel, progress)
        new_uid = record.uid
    for old_score, new_score in carried:
        _carry_evidence(ws, old_score, new_score)
    return get(ws, new_uid)


def _carry_evidence(ws: Workspace, old_score: str, new_score: str) -> None:
    """The files behind a hand score go with it into the correction (same stored bytes)."""
    for info in attachments.list_for(ws, ATTACHMENT_OWNER, old_score):
        if attachments.check(ws, info) != attachments.OK:
            continue  # a missing or altered file is not carried as if it were the evidence
        # a copy under the original name: the store names files by their hash
        attachments.attach(ws, owner_entity=ATTACHMENT_OWNER, owner_uid=new_score,
                           source=attachments.viewing_copy(ws, info), role=info.role, caption=info.caption)


def discard(ws: Workspace, uid: str) -> None:
    """Delete a draft and its rows; a published assessment refuses (the official record)."""
    require_city(ws, _city_only(_("删除")))
    with ws.db.write() as session:
        record = live(session, uid)
        message = record.refuse_change({}, deleting=True)
        if message:
            raise AppError(message)
        for row in live_scores(session, uid):
            records.delete(session, ws, row)
        records.delete(session, ws, record)


def get(ws: Workspace, uid: str) -> AssessmentView:
    with ws.db.read() as session:
        return view(session, live(session, uid))


def list_assessments(ws: Workspace, *, year: int | None = None) -> list[AssessmentRow]:
    """Newest first; a county sees only what the city published (drafts are the city's work)."""
    city = rules.is_city(ws)
    with ws.db.read() as session:
        query = (select(Assessment, AssessmentRuleSet.name, AssessmentRuleSet.version)
                 .join(AssessmentRuleSet, AssessmentRuleSet.uid == Assessment.rule_set_uid)
                 .where(Assessment.deleted.is_(False)))
        if year is not None:
            query = query.where(Assessment.year == year)
        if not city:
            query = query.where(Assessment.status != "draft")
        rows = session.execute(query.order_by(Assessment.year.desc(), Assessment.id.desc())).all()
        return [AssessmentRow(a.uid, a.year, a.status, a.number, a.as_of, a.computed_at, a.published_on,
                              a.supersedes_uid, _("{name} 第 {version} 版").format(name=name, version=version))
                for a, name, version in rows]


def current(ws: Workspace, year: int) -> AssessmentView | None:
    """The year's official result: published and not superseded."""
    with ws.db.read() as session:
        record = _of_year(session, year, "published")
        return view(session, record) if record is not None else None


def default_year(ws: Workspace, today: date | None = None) -> int:
    """The year a page opens on: the latest assessed, else the latest with on-site visits."""
    today = today or date.today()
    with ws.db.read() as session:
        assessed = session.scalar(select(func.max(Assessment.year)).where(Assessment.deleted.is_(False)))
        visited = session.scalar(select(func.max(GuidanceVisit.visit_date)).where(GuidanceVisit.deleted.is_(False)))
    if assessed:
        return assessed
    return min(visited.year, today.year) if visited else today.year


def year_choices(ws: Workspace, today: date | None = None) -> list[int]:
    """From the reconstruction's first year to this one, newest first."""
    today = today or date.today()
    with ws.db.read() as session:
        years = set(session.scalars(select(Assessment.year).where(Assessment.deleted.is_(False))))
    return sorted(years | set(range(FIRST_YEAR, today.year + 1)), reverse=True)
