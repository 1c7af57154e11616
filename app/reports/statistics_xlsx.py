"""The statistics tables the city sends upward (统计报表), as one Excel workbook.

Two sheets, per county (县（区）) and per sector (行业（领域）): the register, progress,
problems, acceptances and (per county) trainings. Each sheet states what its year means
for each column group and what data it was computed from. Figures come from
``app.services.figures`` (grouped SQL); this module only lays them out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path


from app.i18n import N_, _
from app.reports.sources import DataSources, data_sources
from app.reports.xlsx import atomic_workbook, display_width, put_text
from app.services import figures, node
from app.services.figures import Counts, Period, Tally
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    money: bool = False


@dataclass(frozen=True)
class Group:
    label: str
    columns: tuple[Column, ...]


GROUPS: tuple[Group, ...] = (
    Group(N_("重建子项目（登记在册）"), (Column("sub_projects", N_("个数")),
                                  Column("investment_yuan", N_("总投资（万元）"), money=True),
                                  Column("demonstration_sites", N_("示范点")))),
    Group(N_("建设状态（当前）"), (Column("under_construction", N_("在建")), Column("completed", N_("已完工")))),
    Group(N_("档案工作进度（截至年末累计）"), (Column("visited", N_("已现场指导")), Column("accepted", N_("验收合格")),
                                     Column("certificates", N_("有效合格证书")))),
    Group(N_("问题（本年度发现）"), (Column("problems_found", N_("发现")), Column("problems_open", N_("待整改")),
                              Column("problems_overdue", N_("其中超期")), Column("problems_rectified", N_("已整改")),
                              Column("problems_verified", N_("已复查")))),
    Group(N_("档案验收（本年度）"), (Column("acceptances_passed", N_("合格")), Column("acceptances_failed", N_("不合格")))),
)
TRAININGS = Group(N_("培训（本年度）"), (Column("trainings", N_("次数")), Column("attendance", N_("人次"))))
NO_SECTOR = N_("（未填写行业）")
HEADER_ROW = 3  # title, what the table is grouped by, the unit line; then two header rows
FIRST_DATA_ROW = HEADER_ROW + 2


def write_statistics(ws: Workspace, year: int, out_path: Path, *, cancel: CancelToken | None = None,
                     progress: ProgressSink = no_progress, today: date | None = None) -> Path:
    """Write the workbook for ``year``; "overdue" is judged on ``today`` (the report date)."""
    today = today or date.today()
    message, steps = _("正在生成统计报表…"), 3
    progress(0, steps, message)
    tally = figures.tally(ws, Period.year(year), today=today)
    if cancel is not None:
        cancel.check()
    progress(1, steps, message)
    sources = data_sources(ws)
    division_rows = _division_rows(ws, tally)
    sector_rows = _sector_rows(tally)
    local = node.local_division_name(ws)
    path = Path(out_path)
    with atomic_workbook(path, constant_memory=False) as book:
        layout = _Layout(book)
        layout.sheet(_("按县（区）"), _("（按县（区）统计）"), _("县（区）"), (*GROUPS, TRAININGS), division_rows, year,
                     today, sources, local)
        progress(2, steps, message)
        if cancel is not None:
            cancel.check()
        layout.sheet(_("按行业（领域）"), _("（按行业（领域）统计）"), _("行业（领域）"), GROUPS, sector_rows, year,
                     today, sources, local)
    progress(steps, steps, message)
    return path


def _division_rows(ws: Workspace, tally: Tally) -> list[tuple[str, Counts]]:
    _city, rows = figures.division_rows(ws, tally)
    return [(r.name, r.counts) for r in rows]


def _sector_rows(tally: Tally) -> list[tuple[str, Counts]]:
    sectors = tally.by_sector()
    named = sorted(((name, c) for name, c in sectors.items() if name), key=lambda item: (-item[1].sub_projects,
                                                                                         item[0]))
    blank = sectors.get("")
    return named + ([(_(NO_SECTOR), blank)] if blank is not None else [])


class _Layout:
    """Formats made once per workbook; ``sheet`` writes one table with its header and notes."""

    def __init__(self, book) -> None:
        self.book = book
        base = {"font_size": 10, "valign": "vcenter"}
        self.title = book.add_format({**base, "bold": True, "font_size": 16, "align": "center"})
        self.subtitle = book.add_format({**base, "align": "center", "font_size": 11})
        self.unit = book.add_format({**base, "align": "left"})
        self.head = book.add_format({**base, "bold": True, "align": "center", "text_wrap": True, "border": 1,
                                     "bg_color": "#DDEBF7"})
        self.name = book.add_format({**base, "border": 1, "align": "left"})
        self.serial = book.add_format({**base, "border": 1, "align": "center"})
        self.count = book.add_format({**base, "border": 1, "num_format": "#,##0"})
        self.money = book.add_format({**base, "border": 1, "num_format": "#,##0.00"})
        self.total_name = book.add_format({**base, "border": 1, "bold": True, "align": "center", "bg_color": "#F2F2F2"})
        self.total_count = book.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0",
                                            "bg_color": "#F2F2F2"})
        self.total_money = book.add_format({**base, "border": 1, "bold": True, "num_format": "#,##0.00",
                                            "bg_color": "#F2F2F2"})
        self.note = book.add_format({**base, "text_wrap": True, "valign": "top", "font_color": "#333333"})

    def sheet(self, name: str, grouping: str, first_header: str, groups, rows: list[tuple[str, Counts]], year: int,
              today: date, sources: DataSources, local: str) -> None:
        columns = [c for g in groups for c in g.columns]
        last_col = 1 + len(columns)
        sheet = self.book.add_worksheet(name)
        sheet.set_landscape()
        sheet.set_paper(9)  # A4
        sheet.fit_to_pages(1, 0)
        sheet.center_horizontally()
        sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
        sheet.repeat_rows(HEADER_ROW, HEADER_ROW + 1)
        sheet.set_footer("&C" + _("第 &P 页，共 &N 页"))
        sheet.hide_gridlines(0)
        sheet.merge_range(0, 0, 0, last_col, _("{division}{year}年度灾后恢复重建项目档案工作统计表").format(
            division=local, year=year), self.title)
        sheet.set_row(0, 30)
        sheet.merge_range(1, 0, 1, last_col, grouping, self.subtitle)
        sheet.merge_range(2, 0, 2, last_col, _("填报单位：{unit}　　　统计年度：{year} 年　　　填报日期：{day}").format(
            unit=_("{division}档案局").format(division=local), year=year, day=today.isoformat()), self.unit)
        self._header(sheet, first_header, groups)
        for n, (label, counts) in enumerate(rows):
            line = FIRST_DATA_ROW + n
            sheet.write_number(line, 0, n + 1, self.serial)
            put_text(sheet, line, 1, label, self.name)
            for col, column in enumerate(columns, start=2):
                value = getattr(counts, column.key)
                if column.money:
                    sheet.write_number(line, col, value / 10_000, self.money)
                else:
                    sheet.write_number(line, col, value, self.count)
        total_line = FIRST_DATA_ROW + len(rows)
        sheet.merge_range(total_line, 0, total_line, 1, _("合计"), self.total_name)
        whole = Counts()
        for _label, counts in rows:
            whole.add(counts)
        for col, column in enumerate(columns, start=2):
            value = getattr(whole, column.key)
            cells = f"{_cell(FIRST_DATA_ROW, col)}:{_cell(total_line - 1, col)}"
            formula = f"=SUM({cells})" if rows else "=0"
            if column.money:
                sheet.write_formula(total_line, col, formula, self.total_money, value / 10_000)
            else:
                sheet.write_formula(total_line, col, formula, self.total_count, value)
        self._widths(sheet, first_header, rows, columns)
        self._notes(sheet, total_line + 2, last_col, year, today, sources, trainings=TRAININGS in groups)

    def _header(self, sheet, first_header: str, groups) -> None:
        top, sub = HEADER_ROW, HEADER_ROW + 1
        sheet.merge_range(top, 0, sub, 0, _("序号"), self.head)
        sheet.merge_range(top, 1, sub, 1, first_header, self.head)
        col = 2
        for group in groups:
            end = col + len(group.columns) - 1
            if end > col:
                sheet.merge_range(top, col, top, end, _(group.label), self.head)
            else:
                sheet.write_string(top, col, _(group.label), self.head)
            for column in group.columns:
                sheet.write_string(sub, col, _(column.label), self.head)
                col += 1
        sheet.set_row(top, 30)
        sheet.set_row(sub, 30)
        sheet.freeze_panes(sub + 1, 2)

    def _widths(self, sheet, first_header: str, rows, columns) -> None:
        sheet.set_column(0, 0, 5)
        names = [display_width(label) for label, _counts in rows] + [display_width(first_header)]
        sheet.set_column(1, 1, max(names) + 3)
        for col, column in enumerate(columns, start=2):
            # a header wraps onto two lines at most: half its width, never narrower than the numbers
            widest_number = max((len(f"{getattr(c, column.key):,}") for _label, c in rows), default=1) + 3
            sheet.set_column(col, col, max(widest_number, (display_width(_(column.label)) + 1) // 2 + 2, 7))

    def _notes(self, sheet, row: int, last_col: int, year: int, today: date, sources: DataSources, *,
               trainings: bool) -> None:
        lines = [
            _("统计口径："),
            _("1. 子项目个数、总投资、示范点和建设状态为填报日登记在册的全部子项目（已删除的不计）。"),
            _("2. 已现场指导、验收合格（子项目个数）和有效合格证书为截至 {year} 年 12 月 31 日的累计数；"
              "作废的证书不计。").format(year=year),
            _("3. 问题为 {year} 年内发现的问题（含验收不合格提出的整改意见），其状态按填报日（{day}）统计；"
              "“其中超期”指超过整改时限仍未整改，与问题台账的“仅超期”相同。").format(year=year, day=today.isoformat()),
            _("4. 档案验收为 {year} 年内作出结论的验收次数，复验另计一次。").format(year=year),
        ]
        if trainings:
            lines.append(_("5. 培训为 {year} 年内举办的培训；市级培训计入“市本级”。").format(year=year))
        lines += sources.lines()
        for n, text in enumerate(lines):
            sheet.merge_range(row + n, 0, row + n, last_col, text, self.note)
            sheet.set_row(row + n, 16 * max(1, display_width(text) // 170 + 1))


def _cell(row: int, col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rest = divmod(col - 1, 26)
        letters = chr(65 + rest) + letters
    return f"{letters}{row + 1}"


def default_name(year: int) -> str:
    return _("统计报表-{year}.xlsx").format(year=year)

