"""``--self-test``: prove an installation (above all a frozen bundle) can do the real work.

In a throw-away folder it opens a fresh database (every migration runs), sets up a node
with its signing key, registers a sub-project, passes its acceptance, issues and renders
the certificate, and checks the PDF with pdfium: one page, the facts in its text, every
font embedded, ink on the page. Then it writes and reads back an Excel register and
writes a signed export package, so the libraries loaded only for those (openpyxl,
XlsxWriter, python-calamine, bagit, cryptography) are proved present too.

Qt-free: the interface's own checks (font, Qt's catalog, the guide) are in
``app.ui.selftest``, which runs these first. Each step returns a line saying what it
did; the first failure stops the run with its reason.
"""

from __future__ import annotations

import hashlib
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__, resources
from app.errors import AppError
from app.i18n import N_, _

#: the sub-project the self-test registers; its Chinese name must come back out of the PDF
SUB_PROJECT_CODE = "SELFTEST-0001-01"
SUB_PROJECT_NAME = "自检用古城村农房重建"  # i18n: input vocabulary
DIVISION_CODE = "511826"  # 芦山县
GROUP = [
    {"name": "Leader", "unit_kind": "reconstruction_committee", "role": "leader", "vote": "agree"},
    {"name": "Deputy", "unit_kind": "archives_bureau", "role": "deputy", "vote": "agree"},
    {"name": "Member A", "unit_kind": "finance_bureau", "vote": "agree"},
    {"name": "Member B", "unit_kind": "development_commission", "vote": "agree"},
    {"name": "Member C", "unit_kind": "housing_bureau", "vote": "agree"},
]


class SelfTestFailed(AppError):
    """A step found the installation unable to do its work."""


@dataclass
class Context:
    folder: Path
    ws: object = None
    facts: dict[str, object] = field(default_factory=dict)


Step = Callable[[Context], str]


def _check(condition: bool, reason: str) -> None:
    if not condition:
        raise SelfTestFailed(reason)


def open_database(ctx: Context) -> str:
    from app.db.migrate import current_revision, head_revision, known_revisions
    from app.services.workspace import Workspace

    path = ctx.folder / "selftest.db"
    ctx.ws = Workspace.open(path)
    head = head_revision()
    _check(current_revision(path) == head, _("数据库结构版本不是最新（{rev}）。").format(rev=current_revision(path)))
    return _("新数据库 {path}：已执行 {n} 个迁移，结构版本 {rev}（迁移脚本：{folder}）").format(
        path=path, n=len(known_revisions()), rev=head, folder=resources.migrations_dir())


def set_up_node(ctx: Context) -> str:
    from app.services import divisions, enrolment, node

    division = divisions.find_division(ctx.ws, DIVISION_CODE)
    _check(division is not None, _("找不到县（区）代码 {code}：参考数据未写入。").format(code=DIVISION_CODE))
    node.setup_node(ctx.ws, division_uid=division.uid, operator="self-test")
    identity = enrolment.local_identity(ctx.ws)
    return _("{division}，节点代码 {code}，密钥指纹 {fp}").format(
        division=division.name, code=identity.node_code, fp=identity.fingerprint)


def accept_and_certify(ctx: Context) -> str:
    from app.services import acceptances, certificates, checklists, divisions, master_projects, sub_projects

    ws = ctx.ws
    division = divisions.find_division(ws, DIVISION_CODE)
    template = checklists.get(ws, checklists.ensure_default(ws))
    master = master_projects.create(ws, {"plan_code": "SELFTEST-0001", "name": SUB_PROJECT_NAME,
                                         "division_uid": division.uid})
    sub = sub_projects.create(ws, {
        "code": SUB_PROJECT_CODE, "name": SUB_PROJECT_NAME, "division_uid": division.uid,
        "master_project_uid": master.uid, "owner_unit": "self-test", "investment": "100",
        "start_date": "2014-03-01", "finish_date": "2015-06-30", "construction_status": "completed"})
    a = acceptances.create(ws, sub.uid, {"acceptance_date": "2016-05-10", "application_date": "2016-04-28",
                                         "total_volumes": "100", "sampled_volumes": "10", "total_drawings": "100",
                                         "sampled_drawings": "10", "accepted_volumes": "100",
                                         "accepted_items": "1000", "accepted_drawings": "100"})
    acceptances.set_members(ws, a.uid, GROUP)
    acceptances.set_scores(ws, a.uid, {
        i.uid: ({"passed": True} if i.kind == "pass_fail" else {"group_score": str(i.max_score)})
        for i in template.items})
    done = acceptances.conclude(ws, a.uid)
    _check(done.conclusion == "pass", _("满分的验收没有通过：{c}").format(c=done.conclusion))
    issued = certificates.for_acceptance(ws, a.uid)
    _check(len(issued) == 1 and issued[0].status == "valid", _("验收通过后没有签发证书。"))
    ctx.facts["certificate"] = issued[0]
    return _("子项目 {code} 验收合格（检查表 {n} 项），已签发证书 {number}").format(
        code=SUB_PROJECT_CODE, n=len(template.items), number=issued[0].number)


def render_certificate(ctx: Context) -> str:
    from app.reports import certificate_pdf

    view = ctx.facts["certificate"]
    path = ctx.folder / "certificate.pdf"
    started = time.perf_counter()
    digest = certificate_pdf.render_certificate(view, path)
    ms = (time.perf_counter() - started) * 1000
    data = path.read_bytes()
    _check(len(data) > 1000, _("证书 PDF 为空或过小（{n} 字节）。").format(n=len(data)))
    _check(hashlib.sha256(data).hexdigest() == digest, _("证书 PDF 的哈希与返回值不符。"))
    found = inspect_pdf(path)
    _check(found["pages"] == 1, _("证书应为 1 页，实为 {n} 页。").format(n=found["pages"]))
    for needed in (view.number, SUB_PROJECT_CODE, SUB_PROJECT_NAME):
        _check(needed in found["text"], _("证书 PDF 的文字中没有“{text}”。").format(text=needed))
    _check(found["fonts"] and not found["not_embedded"],
           _("证书 PDF 有未嵌入的字体：{fonts}").format(fonts=", ".join(found["not_embedded"]) or "-"))
    _check(found["ink"] > 0.01, _("证书页面渲染后几乎空白。"))
    return _("{path}：{size} KB，{ms:.0f} 毫秒；1 页，文字含证书编号和中文名称，"
             "字体全部嵌入（{fonts}），页面着墨 {ink:.0%}").format(
        path=path, size=len(data) // 1024, ms=ms, fonts=", ".join(sorted(found["fonts"])), ink=found["ink"])


def inspect_pdf(path: Path) -> dict:
    """Pages, text, font names (and those not embedded) and the share of inked pixels, by pdfium."""
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    pdf = pdfium.PdfDocument(str(path))
    try:
        fonts: set[str] = set()
        not_embedded: set[str] = set()
        text = []
        for page in pdf:
            text.append(page.get_textpage().get_text_bounded())
            for obj in page.get_objects(filter=(raw.FPDF_PAGEOBJ_TEXT,)):
                font = raw.FPDFTextObj_GetFont(obj.raw)
                size = raw.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = ctypes.create_string_buffer(max(size, 1))
                raw.FPDFFont_GetBaseFontName(font, buffer, size)
                name = buffer.value.decode("latin-1") or "?"
                fonts.add(name)
                if not raw.FPDFFont_GetIsEmbedded(font):
                    not_embedded.add(name)
        bitmap = pdf[0].render(scale=0.5, grayscale=True)
        return {"pages": len(pdf), "text": "".join(text), "fonts": fonts, "not_embedded": sorted(not_embedded),
                "ink": _ink(bitmap)}
    finally:
        pdf.close()


def _ink(bitmap) -> float:
    """The share of pixels darker than light grey in a one-byte-a-pixel pdfium bitmap."""
    data = bytes(bitmap.buffer)
    width, height, stride = bitmap.width, bitmap.height, bitmap.stride
    dark = sum(sum(1 for b in data[row * stride:row * stride + width] if b < 200) for row in range(height))
    return dark / max(1, width * height)


def excel_round_trip(ctx: Context) -> str:
    from app.services.master_list.exporter import export_register
    from app.services.master_list.importer import plan_import

    path = ctx.folder / "register.xlsx"
    written = export_register(ctx.ws, path)
    plan = plan_import(ctx.ws, path)
    summary = plan.summary()
    _check(written == 1 and summary["unchanged"] == 1 and not plan.rejected,
           _("Excel 导出后读回不一致：{summary}").format(summary=summary))
    return _("{path}：导出 {n} 行，读回核对无变化").format(path=path, n=written)


def export_package(ctx: Context) -> str:
    from app.services import packages

    result = packages.export_package(ctx.ws, ctx.folder / "package.zip")
    return _("{path}：第 {seq} 号，{n} 条记录变更，已签名并读回校验").format(
        path=result.path, seq=result.sequence, n=sum(result.counts.values()))


def licence_list(_ctx: Context) -> str:
    from app import licences

    wanted = {licences.normalise(name) for name in licences.direct_requirements()}
    shipped = {licences.normalise(d.metadata["Name"]): d for d in licences.distributions()}
    missing = sorted(wanted - set(shipped))
    _check(bool(wanted) and not missing, _("找不到这些库的安装信息（许可证无从显示）：{names}").format(
        names=", ".join(missing) or "-"))
    unknown = sorted(name for name, d in shipped.items() if licences.licence_of(d) == "?")
    font = licences.font_licence()
    return _("{n} 个库的许可证可显示{unknown}；字体 {font}：{licence}").format(
        n=len(shipped), unknown=_("（未注明：{names}）").format(names=", ".join(unknown)) if unknown else "",
        font=font.name, licence=font.licence)


CORE_STEPS: tuple[tuple[str, Step], ...] = (
    (N_("数据库与迁移"), open_database),
    (N_("本机设置"), set_up_node),
    (N_("验收与证书"), accept_and_certify),
    (N_("证书 PDF"), render_certificate),
    (N_("Excel 导出导入"), excel_round_trip),
    (N_("导出包"), export_package),
    (N_("许可证信息"), licence_list),
)


def run(steps: Sequence[tuple[str, Step]], *, say: Callable[[str], None] = print,
        folder: Path | None = None) -> int:
    """Run ``steps`` in order in a temporary folder (or ``folder``); 0 when all passed, else 1.

    Each step's line is passed to ``say``; the failing step's reason ends the run, its
    traceback follows for whoever reads the report."""
    started = time.perf_counter()
    say(_("档案现场工作包 {version} 自检（{how}）").format(
        version=__version__, how=_("打包程序") if resources.frozen_root() else _("源代码或安装包")))
    with tempfile.TemporaryDirectory(prefix="yaan-selftest-") as temporary:
        ctx = Context(Path(folder or temporary))
        ctx.folder.mkdir(parents=True, exist_ok=True)
        try:
            for label, step in steps:
                try:
                    line = step(ctx)
                except Exception as exc:  # noqa: BLE001 - every failure is reported, never raised
                    reason = exc.message if isinstance(exc, AppError) else f"{type(exc).__name__}: {exc}"
                    say(_("[失败] {step}：{reason}").format(step=_(label), reason=reason))
                    if not isinstance(exc, SelfTestFailed):
                        say(traceback.format_exc().rstrip())
                    say(_("自检未通过。"))
                    return 1
                say(_("[通过] {step}：{line}").format(step=_(label), line=line))
        finally:
            if ctx.ws is not None:
                ctx.ws.close()
    say(_("自检通过：{n} 项，用时 {s:.1f} 秒。").format(n=len(steps), s=time.perf_counter() - started))
    return 0
