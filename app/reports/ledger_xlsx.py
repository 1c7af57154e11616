"""The problem ledger (问题台账) as the conventional Excel sheet offices file and send on."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from app.i18n import N_, _
from app.reports.xlsx import (
    Styles,
    atomic_workbook,
    display_width,
    put_text,
    write_header,
)
from app.services import ledger
from app.services.ledger import LedgerFilter
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace

#: the conventional columns, in the conventional order
HEADERS = (N_("序号"), N_("县区"), N_("项目"), N_("问题描述"), N_("责任人"), N_("整改时限"), N_("整改情况"),
           N_("复查结论"))
WIDTHS = (6, 10, 30, 44, 10, 12, 36, 30)
BATCH = 1000
HEADER_ROW = 2


def export_ledger(ws: Workspace, path: Path | str, flt: LedgerFilter, *, sort: str = "deadline",
                  descending: bool = False, title: str | None = None, cancel: CancelToken | None = None,
                  progress: ProgressSink = no_progress) -> int:
    """Write the problems matching ``flt`` in display order; overdue rows are tinted. Returns rows."""
    ids = ledger.search_ids(ws, flt, sort=sort, descending=descending)
    total, message = len(ids), _("正在导出问题台账…")
    written = 0
    with atomic_workbook(path, constant_memory=True) as book:
        styles = Styles(book)
        cell = book.add_format({"text_wrap": True, "valign": "top", "border": 1})
        late = book.add_format({"text_wrap": True, "valign": "top", "border": 1, "bg_color": "#FFC7CE",
                                "font_color": "#9C0006"})
        sheet = book.add_worksheet(_("问题台账"))
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(HEADER_ROW)
        heading = book.add_format({"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"})
        sub = book.add_format({"align": "center", "font_color": "#555555"})
        sheet.merge_range(0, 0, 0, len(HEADERS) - 1, title or _("灾后恢复重建项目档案问题台账"), heading)
        overdue = ledger.overdue_count(ws, flt)
        sheet.merge_range(1, 0, 1, len(HEADERS) - 1, _("截至 {day}，共 {n} 条，其中超期未整改 {late} 条（标红）").format(
            day=flt.today.isoformat(), n=total, late=overdue), sub)
        sheet.set_row(0, 28)
        write_header(sheet, styles, [_(h) for h in HEADERS], row=HEADER_ROW)
        for col, width in enumerate(WIDTHS):
            sheet.set_column(col, col, width)
        for start in range(0, total, BATCH):
            chunk = ids[start:start + BATCH]
            rows = ledger.fetch_rows(ws, chunk, today=flt.today)
            for record_id in chunk:
                row = rows.get(record_id)
                if row is None:
                    continue
                written += 1
                fmt = late if row.overdue else cell
                values = (str(written), row.division_name, f"{row.sub_project_code} {row.sub_project_name}",
                          row.description, row.responsible_person, row.deadline.isoformat(),
                          _rectification(row), _verification(row))
                line = HEADER_ROW + written
                for col, value in enumerate(values):
                    put_text(sheet, line, col, value, fmt)
                lines = max(display_width(v) // (WIDTHS[c] + 1) + 1 for c, v in enumerate(values))
                sheet.set_row(line, 16 * min(lines, 8))
            progress(min(start + BATCH, total), total, message)
            if cancel is not None:
                cancel.check()
        sheet.autofilter(HEADER_ROW, 0, HEADER_ROW + max(written, 1), len(HEADERS) - 1)
    return written


def _rectification(row: ledger.LedgerRow) -> str:
    if not row.rectification:
        return _("超期未整改") if row.overdue else _("整改中")
    when = row.rectified_on.isoformat() if row.rectified_on else ""
    return f"{row.rectification}（{when}）" if when else row.rectification


def _verification(row: ledger.LedgerRow) -> str:
    if row.state == "verified":
        day = row.verified_on.isoformat() if row.verified_on else ""
        note = row.verification_note or _("整改到位")
        return _("已复查：{note}（{day}）").format(note=note, day=day) if day else _("已复查：{note}").format(note=note)
    if row.verification_note:
        return _("复查未通过：{note}").format(note=row.verification_note)
    return ""


def default_name(today: date | None = None) -> str:
    return _("问题台账-{day}.xlsx").format(day=(today or date.today()).isoformat())
