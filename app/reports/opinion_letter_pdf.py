"""验收意见书: the opinion letter of any acceptance, pass or fail, as a PDF of record."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import KeepTogether, SimpleDocTemplate, Spacer, Table, TableStyle

from app.i18n import _
from app.reports.certificate_pdf import (INK, PAGE_W, RED, SHADE, cell, chinese_date, counts_text, grid,
                                         sample_text, score_text, styles, votes_text, write_atomic)
from app.reports.fonts import Paragraph, font_name

if TYPE_CHECKING:
    from app.services.workspace import Workspace


@dataclass(frozen=True)
class OpinionLetterData:
    """What a 验收意见书 shows, gathered once from the services (plain data)."""

    acceptance_uid: str
    previous_uid: str | None
    conclusion: str  # pass / fail / "" (not concluded)
    conclusion_label: str
    sub_project: str
    master_project: str
    division: str
    owner_unit: str
    values: dict[str, Any]  # the acceptance's header: dates, counts, sample, opinion, deadline
    checklist: str
    section_titles: tuple[str, ...]
    item_count: int
    members: tuple[tuple[str, str, str, str], ...]  # name, unit, role, vote (labels)
    sections: tuple[tuple[str, float, float, float | None], ...]  # title, score, max, floor
    total: float
    grade: str
    vetoes: tuple[str, ...]
    floors: tuple[str, ...]
    votes: dict[str, int]  # label -> count
    reasons: tuple[str, ...]
    problems: tuple[tuple[str, date], ...]  # the rectification opinions: description, deadline
    certificate_number: str


def opinion_letter_data(ws: Workspace, acceptance_uid: str) -> OpinionLetterData:
    from sqlalchemy import select

    from app.models import CONCLUSIONS, MEMBER_ROLES, MEMBER_UNITS, VOTES, Problem
    from app.services import (
        acceptance_result,
        acceptances,
        certificates,
        checklists,
        problems,
        sub_projects,
    )

    detail = acceptances.get(ws, acceptance_uid)
    template = checklists.get(ws, detail.template_uid)
    result = acceptance_result.evaluate(template, detail.scores, detail.members)
    sub = sub_projects.get(ws, detail.sub_project_uid)
    with ws.db.read() as session:  # ProblemInfo does not say which acceptance raised it
        mine = set(session.scalars(select(Problem.uid).where(Problem.acceptance_uid == acceptance_uid)))
    found = [p for p in problems.for_sub_project(ws, sub.uid) if p.uid in mine]
    valid = [c for c in certificates.for_acceptance(ws, acceptance_uid) if c.status == "valid"]
    members = tuple((m.name, m.unit_name or _(MEMBER_UNITS.get(m.unit_kind, m.unit_kind)),
                     _(MEMBER_ROLES.get(m.role, m.role)), _(VOTES.get(m.vote, m.vote))) for m in detail.members)
    label = _(CONCLUSIONS[detail.conclusion]) if detail.conclusion else _("尚未作出结论")
    return OpinionLetterData(
        acceptance_uid, detail.previous_uid, detail.conclusion, label, f"{sub.code}　{sub.name}",
        sub.master_project_label, sub.division_name, sub.owner_unit, dict(detail.values),
        _("{name}（第 {version} 版）").format(name=template.name, version=template.version),
        tuple(sec.title for sec in template.sections), len(template.items), members, tuple(result.section_scores),
        result.total, result.grade, tuple(result.vetoes), tuple(result.floors),
        {_(VOTES[k]): v for k, v in result.votes.items() if k}, tuple(result.reasons),
        tuple((p.description, p.deadline) for p in found), valid[-1].number if valid else "")


def _letter_story(d: OpinionLetterData) -> list:
    s, v = styles(), d.values

    def p(text: str, style: str = "indent") -> Paragraph:
        return Paragraph(escape(text), s[style])

    story: list = [p(_("建设项目档案验收意见书"), "title"), p(_("验收记录：{uid}").format(uid=d.acceptance_uid), "meta")]
    if d.previous_uid:
        story.append(p(_("（复验，前次验收记录：{uid}）").format(uid=d.previous_uid), "meta"))
    story.append(p(_("一、项目基本情况"), "heading"))
    rows = [[_("子项目"), cell(d.sub_project), "", ""], [_("所属总规项目"), cell(d.master_project or "—"), "", ""],
            [_("县（区）"), d.division, _("项目业主（责任单位）"), cell(d.owner_unit or "—")],
            [_("申请受理日期"), chinese_date(v.get("application_date")) or "—", _("验收日期"),
             chinese_date(v.get("acceptance_date"))],
            [_("验收检查表"), cell(d.checklist), "", ""]]
    story.append(grid([88, 150, 120, 123], rows, label_cols=(0,), extra=[
        *(("SPAN", (1, r), (3, r)) for r in (0, 1, 4)), ("BACKGROUND", (2, 2), (2, 3), SHADE)]))
    story.append(p(_("二、验收小组"), "heading"))
    rows = [[_("序号"), _("姓名"), _("单位"), _("职务"), _("表决"), _("签字")]]
    rows += [[str(n), name, cell(unit), role, vote, ""] for n, (name, unit, role, vote) in enumerate(d.members, 1)]
    story.append(grid([32, 62, 190, 50, 50, 97], rows, header=True, extra=[
        ("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (3, 1), (4, -1), "CENTER"),
        ("TOPPADDING", (0, 1), (-1, -1), 6), ("BOTTOMPADDING", (0, 1), (-1, -1), 7)]))
    story.append(p(_("三、验收检查情况"), "heading"))
    parts = "".join(_("“{title}”").format(title=t) for t in d.section_titles)
    story.append(p(_("验收小组听取了项目业主关于项目档案工作的汇报，按《{checklist}》逐项检查了{parts}{n} 个部分共 {items} 项。")
                   .format(checklist=d.checklist, parts=parts, n=len(d.section_titles), items=d.item_count)))
    sample = sample_text(v)
    story.append(p(_("项目共有案卷 {v} 卷、竣工图 {d} 张。").format(
        v=score_text(v.get("total_volumes")) or "—", d=score_text(v.get("total_drawings")) or "—")
        + (_("{sample}。").format(sample=sample) if sample else _("未记录抽查情况。"))))
    story.append(p(_("验收档案：{counts}。").format(counts=counts_text(v))))
    story.append(p(_("四、评分结果"), "heading"))
    rows = [[_("评分部分"), _("满分"), _("最低分"), _("得分")]]
    rows += [[title, score_text(most), score_text(floor) or "—", score_text(got)] for title, got, most, floor in d.sections]
    rows.append([_("总分（等级：{grade}）").format(grade=d.grade or _("不合格")), score_text(sum(x[2] for x in d.sections)),
                 "", score_text(d.total)])
    story.append(grid([255, 75, 75, 76], rows, header=True, extra=[
        ("ALIGN", (1, 1), (-1, -1), "CENTER"), ("BACKGROUND", (0, -1), (-1, -1), SHADE)]))
    story.append(Spacer(1, 5))
    story.append(p(_("否决项：{list}。").format(list="；".join(d.vetoes) or _("无"))))
    story.append(p(_("低于最低分的部分：{list}。").format(list="；".join(d.floors) or _("无"))))
    story.append(p(_("五、验收结论"), "heading"))
    if v.get("opinion"):
        story.append(p(_("验收意见：{text}").format(text=v["opinion"])))
    story.append(Paragraph(escape(_("验收结论：{conclusion}").format(conclusion=d.conclusion_label)), ParagraphStyle(
        "verdict", s["conclusion"], textColor=RED if d.conclusion == "fail" else INK)))
    story.append(p(_("表决：{votes}（验收小组共 {n} 人）。").format(votes=votes_text(d.votes), n=len(d.members))))
    if d.reasons:
        story.append(p(_("依据：{reasons}。").format(reasons="；".join(d.reasons))))
    if d.certificate_number:
        story.append(p(_("已签发档案验收合格证书，编号 {number}。").format(number=d.certificate_number)))
    if d.conclusion == "fail":
        story.append(p(_("六、整改意见"), "heading"))
        rows = [[_("序号"), _("整改意见"), _("整改时限")]]
        rows += [[str(n), cell(text), chinese_date(day)] for n, (text, day) in enumerate(d.problems, 1)]
        story.append(grid([32, 349, 100], rows, header=True, extra=[
            ("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (2, 1), (2, -1), "CENTER")]))
        story.append(Spacer(1, 5))
        story.append(p(_("请项目业主于 {day}前完成整改，并申请复验。").format(
            day=chinese_date(v.get("rectification_deadline")) or "—")))
    signatures = Table([[_("验收小组组长（签字）："), "", _("项目业主负责人（签字）："), ""]], colWidths=[122, 110, 134, 115])
    signatures.setStyle(TableStyle([("FONT", (0, 0), (-1, -1), font_name(), 10.5),
                                    ("LINEBELOW", (1, 0), (1, 0), 0.6, INK), ("LINEBELOW", (3, 0), (3, 0), 0.6, INK)]))
    story.append(KeepTogether([Spacer(1, 26), signatures, Spacer(1, 40), p(_("验收组织单位（盖章）"), "right"),
                               Spacer(1, 8), p(chinese_date(v.get("acceptance_date")), "right")]))
    return story


def render_opinion_letter(data: OpinionLetterData, path: Path | str) -> str:
    """Write the opinion letter (any acceptance, pass or fail) atomically; return its sha256."""
    font, buf = font_name(), io.BytesIO()
    footer = _("验收意见书 · {sub}").format(sub=data.sub_project)

    class PagedCanvas(pdfcanvas.Canvas):
        """Holds the pages back until the end, so each footer can say 'page x of y'."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held: list[dict] = []

        def showPage(self) -> None:
            self._held.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            for n, state in enumerate(self._held, 1):
                self.__dict__.update(state)
                self.setFont(font, 8.5)
                self.setFillColor(colors.HexColor("#666666"))
                self.drawString(20 * mm, 12 * mm, footer)
                self.drawRightString(PAGE_W - 20 * mm, 12 * mm, _("第 {n} 页，共 {total} 页").format(
                    n=n, total=len(self._held)))
                super().showPage()
            super().save()

    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                            bottomMargin=20 * mm, invariant=1, pageCompression=1, initialFontName=font,
                            title=_("建设项目档案验收意见书"), subject=data.acceptance_uid, creator="yaan-archive-kit")
    doc.build(_letter_story(data), canvasmaker=PagedCanvas)
    return write_atomic(path, buf.getvalue())
