"""The printed acceptance paperwork: the certificate (合格证书) and the opinion letter (验收意见书).

Both are files of record: built in memory, then written under a temporary name in the
target's folder, flushed and renamed, so a crash never leaves half a PDF under the real
name. PDFs are made with ``invariant`` on, so printing the same certificate again gives
the very same bytes and can be checked against the hash stored at first issue. The CJK
font is a TrueType face from ``resources/fonts`` and is embedded (subset) in every file.
"""

from __future__ import annotations

import hashlib
import io
import os
import secrets
from datetime import date
from itertools import groupby
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any
from xml.sax.saxutils import escape

import segno
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import Table, TableStyle

from app.i18n import N_, _
from app.reports.fonts import BOLD_STROKE, Paragraph, bold_font_name, font_name

if TYPE_CHECKING:  # batch workers import this module: it stays free of the database layer (~0.25 s)
    from app.services.certificates import CertificateView

QR_ERROR = "m"
INK = colors.HexColor("#1A1A1A")
RED = colors.HexColor("#B22222")
FRAME = colors.HexColor("#8B1E1E")
SHADE = colors.HexColor("#F6EFE6")
GRID = colors.HexColor("#5A4A42")
PAGE_W, PAGE_H = A4
LEFT, RIGHT = 52, PAGE_W - 52  # the certificate's content column
QR_BOX = (LEFT + 4, 66, 82)  # x, y of its lower left corner and its side, in points

_styles: dict[str, ParagraphStyle] | None = None


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles on the embedded CJK font, built once (after the font is registered)."""
    global _styles
    if _styles is None:
        font, bold = font_name(), bold_font_name()
        base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=17, textColor=INK, wordWrap="CJK")
        _styles = {
            "body": base,
            "indent": ParagraphStyle("indent", base, firstLineIndent=21),
            "cell": ParagraphStyle("cell", base, fontSize=10, leading=14),
            "title": ParagraphStyle("title", base, fontName=bold, fontSize=20, leading=30, alignment=TA_CENTER,
                                    spaceAfter=4),
            "meta": ParagraphStyle("meta", base, fontSize=9, leading=13, alignment=TA_RIGHT),
            "heading": ParagraphStyle("heading", base, fontName=bold, fontSize=12, leading=20, spaceBefore=9,
                                      spaceAfter=3),
            "conclusion": ParagraphStyle("conclusion", base, fontName=bold, fontSize=14, leading=24, leftIndent=21),
            "right": ParagraphStyle("right", base, alignment=TA_RIGHT),
            "void": ParagraphStyle("void", base, alignment=TA_CENTER, textColor=RED, fontSize=11),
            "note": ParagraphStyle("note", base, alignment=TA_CENTER, fontSize=9.5, textColor=colors.HexColor("#555555")),
        }
    return _styles


def chinese_date(value: date | str | None) -> str:
    """2016-05-12 -> 2016年5月12日 (the form used on official paper)."""
    if not value:
        return ""
    day = date.fromisoformat(value) if isinstance(value, str) else value
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def write_atomic(path: Path | str, data: bytes) -> str:
    """Write ``data`` to ``path`` atomically; return its sha256."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        with open(partial, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return hashlib.sha256(data).hexdigest()


def qr_matrix(text: str) -> tuple[bytearray, ...]:
    """The QR modules for ``text`` (rows of 0/1). segno is ~7x faster than reportlab's widget."""
    return segno.make_qr(text, error=QR_ERROR).matrix


def _draw_qr(c: pdfcanvas.Canvas, text: str, x: float, y: float, size: float) -> None:
    matrix = qr_matrix(text)
    cell = size / len(matrix)
    path = c.beginPath()
    for row, modules in enumerate(matrix):
        col = 0
        for dark, run in groupby(modules):  # one rectangle per run of dark modules keeps the page small
            width = len(list(run))
            if dark:
                path.rect(x + col * cell, y + size - (row + 1) * cell, width * cell, cell)
            col += width
    c.setFillColor(colors.black)
    c.drawPath(path, stroke=0, fill=1)


def _bold(c: pdfcanvas.Canvas, x: float, y: float, text: str, size: float, color=INK, char_space: float = 0) -> None:
    """Text drawn filled and stroked: the font has no bold face, and this reads as bold on paper."""
    c.saveState()
    c.setFillColor(color)
    c.setStrokeColor(color)
    c.setLineWidth(size * BOLD_STROKE)
    t = c.beginText(x, y)
    t.setFont(font_name(), size)
    t.setCharSpace(char_space)
    t.setTextRenderMode(2)
    t.textOut(text)
    c.drawText(t)
    c.restoreState()


def grid(widths, rows, *, header=False, label_cols=(), extra=()) -> Table:
    style = [("FONT", (0, 0), (-1, -1), font_name(), 10), ("TEXTCOLOR", (0, 0), (-1, -1), INK),
             ("GRID", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("TOPPADDING", (0, 0), (-1, -1), 3.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 4.5),
             ("LEFTPADDING", (0, 0), (-1, -1), 6), ("RIGHTPADDING", (0, 0), (-1, -1), 6)]
    if header:
        style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
    for col in label_cols:
        style.append(("BACKGROUND", (col, 0), (col, -1), SHADE))
    table = Table(rows, colWidths=widths)
    table.setStyle(TableStyle(style + list(extra)))
    return table


def score_text(value: Any) -> str:
    return "" if value is None else f"{value:g}"


def counts_text(facts: dict[str, Any]) -> str:
    return _("案卷 {v} 卷、文件 {i} 件、竣工图 {d} 张").format(
        v=score_text(facts.get("accepted_volumes")) or "—", i=score_text(facts.get("accepted_items")) or "—",
        d=score_text(facts.get("accepted_drawings")) or "—")


def sample_text(values: dict[str, Any]) -> str:
    """The sample the group pulled and its share (as ``acceptances.sample_shares`` computes it)."""
    parts = []
    for part, whole, text in (("sampled_volumes", "total_volumes", _("抽查案卷 {n} 卷，占 {share:.1%}")),
                              ("sampled_drawings", "total_drawings", _("抽查竣工图 {n} 张，占 {share:.1%}"))):
        if values.get(part) is not None and values.get(whole):
            parts.append(text.format(n=values[part], share=values[part] / values[whole]))
    return "；".join(parts)


#: the vote labels of ``app.models.VOTES`` in printing order (not imported: batch workers
#: start without the database layer)
VOTE_ORDER = (N_("同意"), N_("不同意"), N_("弃权"))


def votes_text(votes: dict[str, int]) -> str:
    # in the usual order (同意, 不同意, 弃权) whatever order the dict arrived in: a package's
    # canonical JSON sorts keys, and a certificate must print the same on every node
    rank = {label: i for i, vote in enumerate(VOTE_ORDER) for label in (vote, _(vote))}
    ordered = sorted(votes.items(), key=lambda item: rank.get(item[0], len(rank)))
    return "，".join(_("{vote} {n} 票").format(vote=_(label), n=n) for label, n in ordered)


# -- the certificate -----------------------------------------------------------------------

def _frame(c: pdfcanvas.Canvas) -> None:
    c.saveState()
    c.setStrokeColor(FRAME)
    c.setLineWidth(3)
    c.rect(20, 20, PAGE_W - 40, PAGE_H - 40)
    c.setLineWidth(0.8)
    c.rect(27, 27, PAGE_W - 54, PAGE_H - 54)
    c.setFillColor(FRAME)
    path = c.beginPath()  # a small diamond on each inner corner
    for x, y in ((27, 27), (PAGE_W - 27, 27), (27, PAGE_H - 27), (PAGE_W - 27, PAGE_H - 27)):
        path.moveTo(x - 5, y)
        for dx, dy in ((0, 5), (5, 0), (0, -5)):
            path.lineTo(x + dx, y + dy)
        path.close()
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


def _place(c: pdfcanvas.Canvas, flowable, top: float, x: float = LEFT) -> float:
    _w, h = flowable.wrapOn(c, RIGHT - LEFT, PAGE_H)
    flowable.drawOn(c, x, top - h)
    return top - h


def cell(text: str) -> Paragraph:
    """A wrapping table cell; the text is data, so markup characters in it are escaped."""
    return Paragraph(escape(text), styles()["cell"])


def _certificate_tables(facts: dict[str, Any]) -> tuple[Table, Table]:
    info = [
        [_("子项目"), cell(f"{facts['sub_project_code']}　{facts['sub_project_name']}"), "", ""],
        [_("所属总规项目"), cell(facts.get("master_project") or "—"), "", ""],
        [_("县（区）"), facts.get("division") or "", _("项目业主（责任单位）"), cell(facts.get("owner_unit") or "—")],
        [_("验收日期"), chinese_date(facts.get("acceptance_date")), _("申请受理日期"),
         chinese_date(facts.get("application_date")) or "—"],
        [_("验收检查表"), cell(facts.get("checklist", "")), "", ""],
        [_("验收档案"), counts_text(facts), "", ""],
    ]
    sample = sample_text(facts)
    if sample:
        info.append([_("抽查情况"), sample, "", ""])
    spans = [("SPAN", (1, r), (3, r)) for r in range(len(info)) if r not in (2, 3)]
    info_table = grid([88, 150, 122, 135], info, label_cols=(0,), extra=spans + [("BACKGROUND", (2, 2), (2, 3), SHADE)])
    sections = [[_("评分部分"), _("满分"), _("得分")]]
    sections += [[sec["title"], score_text(sec["max"]), score_text(sec["score"])] for sec in facts.get("sections", [])]
    sections.append([_("总分（等级：{grade}）").format(grade=facts.get("grade", "")),
                     score_text(sum(sec["max"] for sec in facts.get("sections", []))), score_text(facts.get("total_score"))])
    score_table = grid([295, 100, 100], sections, header=True,
                        extra=[("ALIGN", (1, 1), (-1, -1), "CENTER"), ("BACKGROUND", (0, -1), (-1, -1), SHADE),
                               ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 3.5)])
    return info_table, score_table


def _member_table(facts: dict[str, Any], padding: float) -> Table:
    members = [[_("姓名"), _("单位"), _("职务"), _("签字")]]
    members += [[m["name"], cell(m["unit"]), _(m["role"]), ""] for m in facts.get("members", [])]
    return grid([88, 190, 72, 145], members, header=True,
                 extra=[("ALIGN", (0, 1), (0, -1), "CENTER"), ("ALIGN", (2, 1), (2, -1), "CENTER"),
                        ("TOPPADDING", (0, 1), (-1, -1), padding), ("BOTTOMPADDING", (0, 1), (-1, -1), padding + 1)])


def _certificate_page(c: pdfcanvas.Canvas, view: CertificateView, copy_note: str) -> None:
    facts, font, s = view.facts, font_name(), styles()
    _frame(c)
    c.setFillColor(INK)
    c.setFont(font, 10)
    c.drawRightString(RIGHT, PAGE_H - 58, _("证书编号：{number}").format(number=view.number))
    if copy_note:
        c.setFillColor(colors.HexColor("#666666"))
        c.drawString(LEFT, PAGE_H - 58, copy_note)
    title = _("档案验收合格证书")
    width = stringWidth(title, font, 30) + 8 * (len(title) - 1)
    _bold(c, (PAGE_W - width) / 2, PAGE_H - 112, title, 30, FRAME, char_space=8)
    c.setStrokeColor(FRAME)
    c.setLineWidth(1.2)
    c.line(PAGE_W / 2 - 150, PAGE_H - 126, PAGE_W / 2 + 150, PAGE_H - 126)
    c.setLineWidth(0.5)
    c.line(PAGE_W / 2 - 150, PAGE_H - 129.5, PAGE_W / 2 + 150, PAGE_H - 129.5)
    top = PAGE_H - 146
    if view.status == "void":
        top = _place(c, Paragraph(escape(_("本证书已于 {day} 作废。作废原因：{reason}").format(
            day=chinese_date(view.voided_on), reason=view.void_reason)), s["void"]), top) - 4
    if facts.get("replaces"):
        top = _place(c, Paragraph(escape(_("本证书替代已作废的 {number} 号证书。").format(
            number=facts["replaces"])), s["note"]), top) - 4
    intro = Paragraph(_("经验收小组按验收检查表检查评定，下列建设项目的档案验收合格，特发此证。"), s["indent"])
    top = _place(c, intro, top) - 8
    info, scores = _certificate_tables(facts)
    members, padding = _member_table(facts, 6), 6.0
    # the QR code, seal and date live below y=190; between the tables: 64 pt of gaps and lines
    height = sum(t.wrap(RIGHT - LEFT, PAGE_H)[1] for t in (info, scores, members)) + 64
    if height > top - 190:  # a large group: tighten the signature rows first
        padding = max(1.5, padding - (height - top + 190) / (2 * max(1, len(facts.get("members", ())))))
        members = _member_table(facts, padding)
        height = sum(t.wrap(RIGHT - LEFT, PAGE_H)[1] for t in (info, scores, members)) + 64
    # then, if it still does not fit (a very large group, a long void reason), shrink the body
    scale = min(1.0, (top - 190) / height)
    c.saveState()
    c.translate(LEFT + (RIGHT - LEFT) * (1 - scale) / 2, top)
    c.scale(scale, scale)
    y = _place(c, info, 0, 0) - 10
    y = _place(c, scores, y, 0) - 22
    conclusion = _("验收结论：{conclusion}").format(conclusion=_(facts["conclusion"]))
    _bold(c, 4, y + 3, conclusion, 15)
    c.setFont(font, 10)
    c.setFillColor(INK)
    c.drawString(4 + stringWidth(conclusion, font, 15) + 14, y + 4, _("表决：{votes}").format(
        votes=votes_text(facts.get("votes", {}))))
    c.drawString(4, y - 26, _("验收小组"))
    _place(c, members, y - 32, 0)
    c.restoreState()
    _draw_qr(c, view.qr_text, *QR_BOX)
    c.setFont(font, 9)
    c.setFillColor(INK)
    c.drawCentredString(LEFT + 45, 52, _("扫码核验"))
    _seal(c, RIGHT - 100, 128)
    c.setFont(font, 12)
    c.drawCentredString(RIGHT - 100, 56, chinese_date(view.issued_on))
    if view.status == "void":
        _void_mark(c)


def _seal(c: pdfcanvas.Canvas, x: float, y: float) -> None:
    c.saveState()
    c.setStrokeColor(colors.HexColor("#999999"))
    c.setDash(4, 3)
    c.setLineWidth(0.8)
    c.circle(x, y, 52)
    c.setFillColor(colors.HexColor("#777777"))
    c.setFont(font_name(), 9.5)
    c.drawCentredString(x, y - 4, _("验收组织单位（盖章）"))
    c.restoreState()


def _void_mark(c: pdfcanvas.Canvas) -> None:
    c.saveState()
    c.translate(PAGE_W / 2, PAGE_H / 2)
    c.rotate(38)
    c.setFillColor(RED, alpha=0.28)
    c.setStrokeColor(RED, alpha=0.5)
    c.setFont(font_name(), 190)
    c.drawCentredString(0, -60, _("作废"), charSpace=30)
    c.restoreState()


def certificate_bytes(view: CertificateView, *, copy_note: str = "") -> bytes:
    buf = io.BytesIO()
    # the initial font is ours too: the default Helvetica would be listed unembedded
    c = pdfcanvas.Canvas(buf, pagesize=A4, invariant=1, pageCompression=1, initialFontName=font_name())
    c.setTitle(_("档案验收合格证书 {number}").format(number=view.number))
    c.setSubject(view.qr_text)
    c.setCreator("yaan-archive-kit")
    _certificate_page(c, view, copy_note)
    c.showPage()
    c.save()
    return buf.getvalue()


def render_certificate(view: CertificateView, path: Path | str, *, copy_note: str = "") -> str:
    """Write the certificate PDF of ``view`` to ``path`` (atomically); return the PDF's sha256."""
    return write_atomic(path, certificate_bytes(view, copy_note=copy_note))


PRINTED_FIELDS = ("number", "issued_on", "status", "voided_on", "void_reason", "facts", "qr_text")


def printable(view: CertificateView) -> dict[str, Any]:
    """What a worker process needs to print ``view``: plain, picklable data."""
    return {name: getattr(view, name) for name in PRINTED_FIELDS}


def render_printable(data: dict[str, Any], path: str) -> str:
    """Worker entry point: ``render_certificate`` from ``printable`` data."""
    return render_certificate(SimpleNamespace(**data), path)


# -- the opinion letter -----------------------------------------------------------------------
