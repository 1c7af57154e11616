"""The notice (通报) that publishes a year's assessment (考核), in the official layout of
``app.reports.notice_pdf`` (GB/T 9704-2012): masthead, 文号, title, recipients, body with
the ranking of the counties (and of the city departments) with scores and deductions,
附件 notes, issuer and date, then the annexes: every deduction with the records behind
it, and the data the figures were computed from (reference date, time of computation,
export packages merged per county). A draft prints with a 草稿 watermark; a superseded
result names the correction that replaced it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Flowable, PageBreak, Spacer, Table, TableStyle

from app.errors import AppError
from app.i18n import _
from app.reports import fonts
from app.reports.certificate_pdf import write_atomic
from app.reports.fonts import Paragraph
from app.reports.notice_pdf import (BODY, BOTTOM, FOLIO, FRAME_W, LEADING, LEFT, PAGE_H, PAGE_W, RED, RIGHT, TITLE,
                                    Imprint, Masthead, Rule, Signature, balanced_title, chinese_date,
                                    chinese_numeral, official_pdf)
from app.services import assessments
from app.services.assessment_metrics import number_text
from app.services.assessment_views import PREVIEW, AssessmentView, ScoreView, Standing, local_time_text
from app.services.notices import split_issuers
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

INK = colors.black
GRID = colors.HexColor("#555555")
HEAD_FILL = colors.HexColor("#eeeeee")
TABLE_SIZE = 12.0  # 小四
ANNEX_SIZE = 10.5  # 五号
#: records named per deduction in the annex; the count says how many there are in all
EVIDENCE_SHOWN = 5
#: deductions named per county in the ranking table
MAIN_DEDUCTIONS = 2


def _styles() -> dict[str, ParagraphStyle]:
    font, bold = fonts.font_name(), fonts.bold_font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=BODY, leading=LEADING, textColor=INK, wordWrap="CJK",
                          alignment=TA_JUSTIFY, firstLineIndent=2 * BODY)
    cell = ParagraphStyle("cell", fontName=font, fontSize=TABLE_SIZE, leading=TABLE_SIZE * 1.35, wordWrap="CJK")
    small = ParagraphStyle("small", cell, fontSize=ANNEX_SIZE, leading=ANNEX_SIZE * 1.4)
    return {
        "body": body,
        "flush": ParagraphStyle("flush", body, firstLineIndent=0, alignment=TA_LEFT),
        "number": ParagraphStyle("number", body, firstLineIndent=0, alignment=TA_CENTER),
        "title": ParagraphStyle("title", body, fontName=bold, fontSize=TITLE, leading=TITLE * 1.5, firstLineIndent=0,
                                alignment=TA_CENTER),
        "heading": ParagraphStyle("heading", body, fontName=bold),
        "annex_title": ParagraphStyle("annex_title", body, fontName=bold, fontSize=BODY * 1.1, alignment=TA_CENTER,
                                      firstLineIndent=0, spaceAfter=LEADING * 0.5),
        "cell": cell,
        "cell_center": ParagraphStyle("cell_center", cell, alignment=TA_CENTER),
        "cell_head": ParagraphStyle("cell_head", cell, fontName=bold, alignment=TA_CENTER),
        "small": small,
        "small_center": ParagraphStyle("small_center", small, alignment=TA_CENTER),
        "small_head": ParagraphStyle("small_head", small, fontName=bold, alignment=TA_CENTER),
        "subject": ParagraphStyle("subject", small, fontName=bold, fontSize=ANNEX_SIZE * 1.15,
                                  spaceBefore=ANNEX_SIZE, spaceAfter=ANNEX_SIZE * 0.4, keepWithNext=1),
    }


def _table(rows: list[list], widths: list[float], *, size: float) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), fonts.font_name()),  # or the table names (unembedded) Helvetica
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEAD_FILL),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), size * 0.25),
        ("BOTTOMPADDING", (0, 0), (-1, -1), size * 0.35),
        ("LEFTPADDING", (0, 0), (-1, -1), size * 0.3),
        ("RIGHTPADDING", (0, 0), (-1, -1), size * 0.3),
    ]))
    return table


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text), style)


def _main_deductions(view: AssessmentView, standing: Standing) -> str:
    """The largest deductions by item code ("7.1(-10)、6.1(-6)等5项"); 附件1 has the rest."""
    found = sorted(view.deductions_of(standing.key), key=lambda s: (-(s.deduction or 0), s.item.seq))
    if not found:
        return _("无扣分")
    text = "、".join(f"{s.item.code}(-{number_text(s.deduction or 0)})" for s in found[:MAIN_DEDUCTIONS])
    if len(found) > MAIN_DEDUCTIONS:
        text += _("等{n}项").format(n=len(found))
    return text


def ranking_table(view: AssessmentView, group: list[Standing], st: dict[str, ParagraphStyle], header: str) -> Table:
    rows = [[_p(h, st["cell_head"]) for h in (_("名次"), header, _("得分"), _("扣分"), _("等次"), _("主要扣分项目（分）"))]]
    for s in group:
        rows.append([_p(str(s.rank), st["cell_center"]), _p(s.name, st["cell"]),
                     _p(number_text(s.total), st["cell_center"]), _p(number_text(s.deduction), st["cell_center"]),
                     _p(s.grade, st["cell_center"]), _p(_main_deductions(view, s), st["cell"])])
    widths = [0.08, 0.27, 0.09, 0.09, 0.1, 0.37]
    return _table(rows, [FRAME_W * w for w in widths], size=TABLE_SIZE)


def _evidence_text(score: ScoreView) -> str:
    labels = [e["label"] for e in score.evidence[:EVIDENCE_SHOWN]]
    total = max(len(score.evidence), int(score.figures.get("missing") or score.figures.get("overdue")
                                         or score.figures.get("failed") or 0))
    text = score.explanation
    if labels:
        text += "\n" + _("依据：") + "；".join(labels)
        if total > len(labels):
            text += _("（等共 {n} 条记录）").format(n=total)
    return text


def deduction_table(view: AssessmentView, standing: Standing, st: dict[str, ParagraphStyle]) -> Table | None:
    found = view.deductions_of(standing.key)
    if not found:
        return None
    rows = [[_p(h, st["small_head"]) for h in (_("编号"), _("考核项目"), _("分值"), _("得分"), _("扣分"),
                                                  _("扣分理由和依据"))]]
    for s in found:
        detail = "<br/>".join(escape(line) for line in _evidence_text(s).splitlines())
        rows.append([_p(s.item.code, st["small_center"]), _p(s.item.title, st["small"]),
                     _p(number_text(s.points), st["small_center"]), _p(number_text(s.score or 0), st["small_center"]),
                     _p(number_text(s.deduction or 0), st["small_center"]), Paragraph(detail, st["small"])])
    widths = [0.07, 0.22, 0.07, 0.07, 0.07, 0.5]
    return _table(rows, [FRAME_W * w for w in widths], size=ANNEX_SIZE)


def basis_table(view: AssessmentView, st: dict[str, ParagraphStyle]) -> Table:
    rows = [[_p(h, st["small_head"]) for h in (_("县（区）"), _("已合并的数据包"), _("最近一个数据包的生成时间（北京时间）"),
                                                  _("最后序号"))]]
    for county in view.basis.get("counties", []):
        rows.append([_p(county["name"], st["small"]), _p(_("{n} 个").format(n=county["packages"]), st["small_center"]),
                     _p(local_time_text(county.get("last_package_at")), st["small_center"]),
                     _p(str(county.get("last_sequence") or "—"), st["small_center"])])
    return _table(rows, [FRAME_W * w for w in (0.3, 0.2, 0.32, 0.18)], size=ANNEX_SIZE)


def _intro(view: AssessmentView, organs: list[str]) -> list[str]:
    who = _("各县（区）、芦天宝飞地产业园区和市级有关部门") if view.departments else _("各县（区）和芦天宝飞地产业园区")
    text = _("根据《雅安市灾后恢复重建项目档案工作考核办法》和《{rules}》（第 {version} 版），{issuer}对{who}{year}年度"
             "灾后恢复重建项目档案工作进行了考核（基准日 {as_of}）。现将考核结果通报如下：").format(
        rules=view.rule_set.name, version=view.rule_set.version, issuer="、".join(organs) or _("我们"), who=who,
        year=view.year, as_of=chinese_date(view.as_of))
    paragraphs = [text]
    if view.supersedes_number:
        paragraphs.insert(0, _("本通报更正{number}，以本通报为准。更正原因：{reason}").format(
            number=view.supersedes_number, reason=view.correction_reason))
    return paragraphs


def story(view: AssessmentView) -> list[Flowable]:
    st = _styles()
    organs = split_issuers(view.issuer) or [_("雅安市档案局")]
    parts: list[Flowable] = [Spacer(1, LEADING * 0.6), Masthead(organs), Spacer(1, LEADING * 1.2),
                             _p(view.number or _("（未编号）"), st["number"]), Spacer(1, 4 * mm - BODY * 0.3),
                             Rule(RED, 1.6), Spacer(1, LEADING * 1.3),
                             Paragraph(balanced_title(view.title or assessments.default_title(view.year)), st["title"]),
                             Spacer(1, LEADING * 0.6)]
    if view.recipients.strip():
        parts.append(_p(view.recipients.strip().rstrip(":：") + "：", st["flush"]))
    parts += [_p(p, st["body"]) for p in _intro(view, organs)]
    sections = [(_("各县（区）考核结果"), view.divisions, _("县（区）"))]
    if view.departments:
        sections.append((_("市级有关部门考核结果"), view.departments, _("部门")))
    n = 0
    for n, (heading, group, header) in enumerate(sections, start=1):
        # a heading never ends a page: room for it and a few rows, else a new page (the table splits)
        parts += [CondPageBreak(LEADING + TABLE_SIZE * 5),
                  _p(_("{n}、{heading}").format(n=chinese_numeral(n), heading=heading), st["heading"]),
                  ranking_table(view, group, st, header), Spacer(1, LEADING * 0.5)]
    parts += [CondPageBreak(LEADING * 3), _p(_("{n}、有关要求").format(n=chinese_numeral(n + 1)), st["heading"])]
    parts.append(_p(_("请各县（区）、各部门对照扣分项目和附件所列记录逐项整改，整改情况于 30 日内书面报市重建委、市档案局；"
                      "问题台账中超过整改时限的问题，请落实责任人限期整改到位。"), st["body"]))
    parts += [Spacer(1, LEADING * 0.5),
              _p(_("附件：1. {year}年度考核扣分明细").format(year=view.year), st["flush"]),
              Paragraph("&nbsp;" * 6 + escape(_("2. 考核数据来源")), st["flush"])]
    day = chinese_date(view.published_on or view.computed_at.date())
    parts += [Spacer(1, LEADING), Signature(organs, day)]
    parts += _annexes(view, st)
    parts += [Spacer(1, LEADING), Imprint(organs[0], day)]
    return parts


def _annexes(view: AssessmentView, st: dict[str, ParagraphStyle]) -> list[Flowable]:
    parts: list[Flowable] = [PageBreak(), _p(_("附件1"), st["flush"]),
                             _p(_("{year}年度考核扣分明细").format(year=view.year), st["annex_title"])]
    for standing in view.standings:
        parts.append(_p(_("{name}：得分 {total}，扣分 {deduction}（名次 {rank}，{grade}）").format(
            name=standing.name, total=number_text(standing.total), deduction=number_text(standing.deduction),
            rank=standing.rank, grade=standing.grade), st["subject"]))
        table = deduction_table(view, standing, st)
        parts.append(table if table is not None else _p(_("无扣分。"), st["small"]))
    parts += [PageBreak(), _p(_("附件2"), st["flush"]), _p(_("考核数据来源"), st["annex_title"])]
    computed = view.basis.get("computed_at") or view.computed_at.isoformat(timespec="seconds")
    parts.append(_p(_("考核基准日：{as_of}；计算时间：{computed}（北京时间）；考核细则：{rules}（第 {version} 版）。"
                      "问题整改、现场指导、档案验收、培训和数据报送等项目按问题台账、现场指导记录、验收记录、培训记录和"
                      "数据包合并记录计算（只采用有效、未删除的记录），其余项目由考核组评分；"
                      "以下为计算时市档案局已合并的各县（区）数据包。").format(
        as_of=view.as_of.isoformat(), computed=local_time_text(computed), rules=view.rule_set.name,
        version=view.rule_set.version), st["small"]))
    parts += [Spacer(1, ANNEX_SIZE * 0.6), basis_table(view, st)]
    return parts


def _page_decorator(view: AssessmentView) -> Callable:
    def decorate(canv, doc) -> None:
        canv.saveState()
        page = canv.getPageNumber()
        canv.setFont(fonts.font_name(), FOLIO)
        canv.setFillColor(INK)
        y = BOTTOM - 7 * mm - FOLIO * 0.85
        folio = f"— {page} —"
        if page % 2:
            canv.drawRightString(PAGE_W - RIGHT - FOLIO, y, folio)
        else:
            canv.drawString(LEFT + FOLIO, y, folio)
        if view.status in ("draft", PREVIEW):
            # a draft printed for review must never pass for the published result
            canv.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.2))
            canv.translate(PAGE_W / 2, PAGE_H / 2)
            canv.rotate(35)
            canv.setFont(fonts.font_name(), 150)
            canv.drawCentredString(0, -50, _("草稿") if view.status == "draft" else _("试算"))
        elif view.status == "superseded":
            canv.setFillColor(RED)
            canv.setFont(fonts.font_name(), 10.5)
            canv.drawCentredString(PAGE_W / 2, PAGE_H - 18 * mm, _("本考核结果已由 {number} 更正，以更正后的通报为准。").format(
                number=view.superseded_by_number))
        canv.restoreState()
    return decorate


def render_bytes(view: AssessmentView) -> bytes:
    return official_pdf(story(view), _page_decorator(view), title=view.title, author=view.issuer, subject=view.number)


def render(view: AssessmentView, path: Path | str) -> Path:
    """Write the notice's PDF to ``path`` atomically (a temporary name, then renamed)."""
    write_atomic(path, render_bytes(view))
    return Path(path)


def write_assessment(ws: Workspace, year: int, out_path: Path, *, cancel: CancelToken | None = None,
                     progress: ProgressSink = no_progress) -> Path:
    """The report registry's entry: the year's published (official) result as a PDF notice."""
    view = assessments.current(ws, year)
    if view is None:
        raise AppError(_("{year} 年度还没有发布的考核结果；请先在“年度考核”中计算、评分并发布（草稿可在该页面预览打印）。").format(
            year=year))
    progress(0, 1, _("正在生成考核结果通报…"))
    if cancel is not None:
        cancel.check()
    path = render(view, out_path)
    progress(1, 1, "")
    return path
