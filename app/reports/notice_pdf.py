"""A notice (通报) printed in the layout of Chinese official documents (GB/T 9704-2012).

A4 with the standard type area (版心 156 x 225 mm: top margin 37 mm, left 28 mm), 22 lines
of 28 characters; the issuing organ's name in red as the masthead (版头) with 文件, the
document number centred below it over a red rule, the title, the main recipients (主送),
the body with the numbered opinions, the issuer and the date in Chinese at the bottom
right, the imprint (版记) at the foot of the last page and page numbers "— 1 —" outside
(odd pages right, even pages left). The file is written under a temporary name, then
renamed, so a failure never leaves half a PDF under the real name.

Only the shipped font exists (a sans face without bold): weights come from the faux bold
of ``app.reports.fonts``, where the standard asks for 小标宋 or 黑体.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Spacer

from app.i18n import _
from app.reports import fonts
from app.reports.certificate_pdf import write_atomic
from app.reports.fonts import Paragraph
from app.services.notices import NoticeDetail

PAGE_W, PAGE_H = A4
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm
FRAME_W = PAGE_W - LEFT - RIGHT
#: 3号 type, 28 characters to the line of the 156 mm type area
BODY = FRAME_W / 28
#: 22 lines to the 225 mm type area
LEADING = (PAGE_H - TOP - BOTTOM) / 22
TITLE = 22.0  # 2号
FOLIO = 14.0  # 4号, page numbers and imprint
MASTHEAD = 40.0
RED = colors.HexColor("#E60012")
INK = colors.black
_DIGITS = "零一二三四五六七八九"  # i18n: input vocabulary


def chinese_numeral(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 34 -> 三十四, 105 -> 一百零五 (the heading numbers)."""
    if n < 10:
        return _DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _DIGITS[tens]) + "十" + (_DIGITS[ones] if ones else "")  # i18n: input vocabulary
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + _DIGITS[rest] if rest < 10 else  # i18n: input vocabulary
                                 (_DIGITS[1] if rest < 20 else "") + chinese_numeral(rest))
    return _DIGITS[hundreds] + "百" + tail  # i18n: input vocabulary


def chinese_date(day: date) -> str:
    """2016-05-12 -> 2016年5月12日 (GB/T 9704: Arabic figures, no leading zeros)."""
    return _("{y}年{m}月{d}日").format(y=day.year, m=day.month, d=day.day)


def _draw_heavy(canv, x: float, y: float, text: str, size: float, color, *, scale: float = 100.0,
                space: float = 0.0) -> None:
    """A line of faux-bold text (filled and stroked) at ``x, y``."""
    t = canv.beginText(x, y)
    t.setFont(fonts.font_name(), size)
    t.setHorizScale(scale)
    t.setCharSpace(space)
    t.setTextRenderMode(2)
    canv.setLineWidth(size * fonts.BOLD_STROKE)
    canv.setFillColor(color)
    canv.setStrokeColor(color)
    t.textOut(text)
    canv.drawText(t)


class Masthead(Flowable):
    """版头: the organ's name and 文件 in red; joint issuers stacked, 文件 beside them."""

    def __init__(self, organs: list[str]) -> None:
        super().__init__()
        self.organs = organs or [""]
        self.suffix = _("文件")
        longest = max(len(o) for o in self.organs)
        units = longest + len(self.suffix) + (0.5 if len(self.organs) > 1 else 0)
        self.size = MASTHEAD
        # tall, narrowed type as mastheads are set; smaller only when narrowing is not enough
        self.scale = min(100.0, FRAME_W * 0.98 / (units * self.size) * 100)
        if self.scale < 72:
            self.size *= self.scale / 72
            self.scale = 72.0
        self.line = self.size * 1.25

    def wrap(self, avail_w, avail_h):
        self.width = avail_w
        self.height = self.line * len(self.organs) - (self.line - self.size)
        return self.width, self.height

    def draw(self) -> None:
        canv, size, k = self.canv, self.size, self.scale / 100
        width = lambda text: stringWidth(text, fonts.font_name(), size) * k  # noqa: E731
        if len(self.organs) == 1:
            text = self.organs[0] + self.suffix
            _draw_heavy(canv, (self.width - width(text)) / 2, size * 0.12, text, size, RED, scale=self.scale)
            return
        block = max(width(o) for o in self.organs)
        total = block + size * k * 0.5 + width(self.suffix)
        x0 = (self.width - total) / 2
        for i, organ in enumerate(self.organs):
            y = self.height - size * 0.88 - i * self.line
            gaps = max(len(organ) - 1, 1)
            # each organ's name spread to the width of the longest, as joint mastheads are set
            _draw_heavy(canv, x0, y, organ, size, RED, scale=self.scale, space=(block - width(organ)) / gaps)
        _draw_heavy(canv, x0 + block + size * k * 0.5, self.height / 2 - size * 0.38, self.suffix, size, RED,
                    scale=self.scale)


class Rule(Flowable):
    def __init__(self, color, thickness: float, space_after: float = 0.0) -> None:
        super().__init__()
        self.color, self.thickness, self.after = color, thickness, space_after

    def wrap(self, avail_w, avail_h):
        self.width, self.height = avail_w, self.thickness + self.after
        return self.width, self.height

    def draw(self) -> None:
        self.canv.setStrokeColor(self.color)
        self.canv.setLineWidth(self.thickness)
        y = self.height - self.thickness / 2
        self.canv.line(0, y, self.width, y)


class Signature(Flowable):
    """署名 and 成文日期: the date two characters from the right edge of the type area at
    least, and its first character two characters right of the issuer's (GB/T 9704 7.3.5.3)."""

    def __init__(self, organs: list[str], day: str) -> None:
        super().__init__()
        self.lines = [*organs, day]

    def wrap(self, avail_w, avail_h):
        self.width, self.height = avail_w, LEADING * len(self.lines)
        return self.width, self.height

    def draw(self) -> None:
        canv, font = self.canv, fonts.font_name()
        *organs, day = self.lines
        issuer_w = max(stringWidth(o, font, BODY) for o in organs)
        date_w = stringWidth(day, font, BODY)
        issuer_x = self.width - 2 * BODY - issuer_w
        date_x = issuer_x + 2 * BODY
        if date_x + date_w > self.width - 2 * BODY:
            date_x = self.width - 2 * BODY - date_w
            issuer_x = date_x - 2 * BODY
        canv.setFont(font, BODY)
        canv.setFillColor(INK)
        for i, text in enumerate(self.lines):
            canv.drawString(date_x if i == len(organs) else issuer_x, self.height - LEADING * (i + 1) + BODY * 0.3, text)


class Imprint(Flowable):
    """版记 at the foot of the last page: who printed it and when, between two rules."""

    def __init__(self, organ: str, day: str) -> None:
        super().__init__()
        self.organ, self.day = organ, _("{date}印发").format(date=day)
        self.own = FOLIO * 2.4

    def wrap(self, avail_w, avail_h):
        # take the rest of the page so the imprint sits at its foot
        self.width, self.height = avail_w, max(self.own, avail_h - 1)
        return self.width, self.height

    def draw(self) -> None:
        canv, font, h = self.canv, fonts.font_name(), self.own
        canv.setStrokeColor(INK)
        canv.setLineWidth(0.9)
        canv.line(0, h, self.width, h)
        canv.line(0, 0, self.width, 0)
        canv.setFont(font, FOLIO)
        canv.setFillColor(INK)
        baseline = (h - FOLIO) / 2 + FOLIO * 0.15
        canv.drawString(FOLIO, baseline, self.organ)
        canv.drawRightString(self.width - FOLIO, baseline, self.day)


def _styles() -> dict[str, ParagraphStyle]:
    font = fonts.font_name()
    body = ParagraphStyle("body", fontName=font, fontSize=BODY, leading=LEADING, textColor=INK,
                          wordWrap="CJK", alignment=TA_JUSTIFY, firstLineIndent=2 * BODY)
    return {
        "body": body,
        "flush": ParagraphStyle("flush", body, firstLineIndent=0, alignment=TA_LEFT),
        "number": ParagraphStyle("number", body, firstLineIndent=0, alignment=TA_CENTER),
        "title": ParagraphStyle("title", body, fontName=fonts.bold_font_name(), fontSize=TITLE,
                                leading=TITLE * 1.5, firstLineIndent=0, alignment=TA_CENTER),
    }


def balanced_title(title: str, width: float = FRAME_W, size: float = TITLE) -> str:
    """The title broken into lines of nearly equal length, longer on top (GB/T 9704 asks
    for a symmetric shape, never a lone word on the last line)."""
    font = fonts.bold_font_name()
    total = stringWidth(title, font, size)
    count = int(total // (width * 0.94)) + 1
    if count == 1:
        return escape(title)
    lines, start, used = [], 0, 0.0
    for i, ch in enumerate(title):
        used += stringWidth(ch, font, size)
        if i >= start and len(lines) < count - 1 and used >= total * (len(lines) + 1) / count:
            cut = i + 1
            # closing punctuation and runs of Latin letters or digits stay with what precedes them
            while cut < len(title) and (title[cut] in fonts.CANNOT_START_EXTRA + ")）、。"
                                        or (title[cut].isascii() and title[cut - 1].isascii())):
                cut += 1
            lines.append(title[start:cut])
            start = cut
    lines.append(title[start:])
    return "<br/>".join(escape(line) for line in lines if line)


def _paragraphs(text: str) -> list[str]:
    return [escape(line.strip()) for line in text.splitlines() if line.strip()]


def opinion_body(division_name: str, text: str) -> str:
    """The opinion's text without a leading "{division}：" (or ":") typed by a user: the PDF
    already puts the division at the head of the opinion, and 通报 name it once."""
    body = text.lstrip()
    if division_name and body.startswith(division_name):
        rest = body[len(division_name):].lstrip()
        if rest[:1] in ("：", ":"):
            return rest[1:].lstrip()
    return text


def story(detail: NoticeDetail) -> list[Flowable]:
    st = _styles()
    organs = detail.issuers()
    parts: list[Flowable] = [Spacer(1, LEADING * 0.6), Masthead(organs), Spacer(1, LEADING * 1.2),
                             Paragraph(escape(detail.number), st["number"]), Spacer(1, 4 * mm - BODY * 0.3),
                             Rule(RED, 1.6), Spacer(1, LEADING * 1.3),
                             Paragraph(balanced_title(detail.title), st["title"]), Spacer(1, LEADING * 0.6)]
    if detail.recipients.strip():
        parts.append(Paragraph(escape(detail.recipients.strip().rstrip(":：")) + "：", st["flush"]))
    parts += [Paragraph(p, st["body"]) for p in _paragraphs(detail.preamble)]
    bold = fonts.bold_font_name()
    for n, item in enumerate(detail.items, start=1):
        lead = chinese_numeral(n) + "、"
        text = item.text
        if item.division_name:
            lead += f'<font name="{bold}">{escape(item.division_name)}</font>：'
            text = opinion_body(item.division_name, text)
        paras = _paragraphs(text) or [""]
        parts.append(Paragraph(lead + paras[0], st["body"]))
        parts += [Paragraph(p, st["body"]) for p in paras[1:]]
    day = chinese_date(detail.issue_date)
    parts += [Spacer(1, LEADING), Signature(organs, day), Spacer(1, LEADING), Imprint(organs[0] if organs else "", day)]
    return parts


def _page_decorator(detail: NoticeDetail) -> Callable:
    def decorate(canv, doc) -> None:
        canv.saveState()
        page = canv.getPageNumber()
        folio = f"— {page} —"
        canv.setFont(fonts.font_name(), FOLIO)
        canv.setFillColor(INK)
        y = BOTTOM - 7 * mm - FOLIO * 0.85
        if page % 2:
            canv.drawRightString(PAGE_W - RIGHT - FOLIO, y, folio)
        else:
            canv.drawString(LEFT + FOLIO, y, folio)
        if detail.status == "draft":
            # a draft printed for review must never pass for the issued notice
            canv.setFillColor(colors.Color(0.55, 0.55, 0.55, alpha=0.2))
            canv.translate(PAGE_W / 2, PAGE_H / 2)
            canv.rotate(35)
            canv.setFont(fonts.font_name(), 150)
            canv.drawCentredString(0, -50, _("草稿"))
        elif detail.status == "superseded":
            canv.setFillColor(RED)
            canv.setFont(fonts.font_name(), 10.5)
            note = _("本通报已由 {number} 更正，以更正后的通报为准。").format(number=detail.superseded_by_number or "")
            canv.drawCentredString(PAGE_W / 2, PAGE_H - 18 * mm, note)
        canv.restoreState()
    return decorate


def official_pdf(flowables: list, on_page: Callable, *, title: str, author: str, subject: str) -> bytes:
    """An official document (公文) on A4 with the notice's type area, as PDF bytes: the
    layout the notices and the assessment results share."""
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=A4, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
                          bottomMargin=BOTTOM, title=title, author=author, subject=subject,
                          creator="Yaan Archive Kit", invariant=1,
                          # the canvas would otherwise name (unembedded) Helvetica on every page
                          initialFontName=fonts.font_name(), initialFontSize=BODY)
    # no frame padding: the type area is exactly 156 mm, 28 characters of 3号 type
    frame = Frame(LEFT, BOTTOM, FRAME_W, PAGE_H - TOP - BOTTOM, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="body")
    doc.addPageTemplates([PageTemplate("official", [frame], onPage=on_page)])
    doc.build(flowables)
    return buffer.getvalue()


def render_notice_bytes(detail: NoticeDetail) -> bytes:
    return official_pdf(story(detail), _page_decorator(detail), title=detail.title, author=detail.issuer,
                        subject=detail.number)


def render_notice(notice_detail: NoticeDetail, path: Path | str) -> Path:
    """Write the notice's PDF to ``path`` (atomically) and return the path."""
    write_atomic(path, render_notice_bytes(notice_detail))
    return Path(path)
