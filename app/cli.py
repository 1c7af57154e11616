"""Command line for scripted and batch work: ``python -m app [--db PATH] COMMAND``.

Every command goes through the same services as the window.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app import cli_assessment, cli_backup, cli_sync
from app.errors import AppError, NotFound, ValidationError
from app.i18n import _, set_language
from app.models import CONCLUSIONS
from app.services import acceptances, certificates, demo, divisions, node, stats, sub_projects
from app.services import settings as app_settings
from app.services.workspace import Workspace


def _parser() -> argparse.ArgumentParser:
    # the bundle's yaan-archive-cli names itself
    parser = argparse.ArgumentParser(prog=None if getattr(sys, "frozen", False) else "python -m app",
                                     description=_("雅安灾后重建项目档案现场工作包"))
    parser.add_argument("--db", type=Path, default=None,
                        help=_("数据库文件（默认：{path}）").format(path=cli_backup.default_db_path()))
    commands = parser.add_subparsers(dest="command", required=True)

    init = commands.add_parser("init", help=_("初始化本机：所服务的县（区）和操作员"))
    init.add_argument("--division", required=True, help=_("县（区）名称，如 芦山县、芦山 或 雅安市"))
    init.add_argument("--operator", default=_("管理员"), help=_("操作员姓名"))

    make_demo = commands.add_parser("demo", help=_("生成演示数据"))
    make_demo.add_argument("--sub-projects", type=int, required=True, help=_("子项目个数"))
    make_demo.add_argument("--seed", type=int, default=2013)

    load = commands.add_parser("import-master", help=_("从 Excel/ODS 导入总规项目和子项目清单"))
    load.add_argument("file", type=Path, help=_("清单文件（.xlsx、.xls 或 .ods）"))
    load.add_argument("--dry-run", action="store_true", help=_("只检查并报告，不写入数据库"))
    load.add_argument("--json", action="store_true", help=_("以 JSON 输出结果"))

    dump = commands.add_parser("export-master", help=_("把子项目登记册导出为 .xlsx"))
    dump.add_argument("out", type=Path, help=_("输出文件（.xlsx）"))

    cli_sync.add_commands(commands)
    cli_assessment.add_commands(commands)
    cli_backup.add_commands(commands)

    show = commands.add_parser("stats", help=_("统计各类记录数"))
    show.add_argument("--json", action="store_true", help=_("以 JSON 输出"))

    cert = commands.add_parser("certificate", help=_("输出验收合格证书（不合格的验收输出验收意见书）"))
    cert.add_argument("acceptance", help=_("验收记录编号，或子项目编号（取其最近一次合格验收）"))
    cert.add_argument("--out", type=Path, required=True, help=_("输出文件（.pdf）"))
    cert.add_argument("--opinion-letter", action="store_true", help=_("输出验收意见书而不是合格证书"))

    check = commands.add_parser("verify-certificate", help=_("核验证书二维码内容"))
    check.add_argument("text", help=_("扫描证书二维码得到的文字"))

    _add_report_command(commands)
    return parser


def _add_report_command(commands) -> None:
    from app.reports import registry

    listing = "; ".join(f"{r.name}: {r.label}" for r in registry.REPORTS)
    report = commands.add_parser("report", help=_("输出报表：{reports}").format(reports=listing),
                                 description=_("输出报表。可选的报表：{reports}").format(reports=listing))
    report.add_argument("name", choices=registry.names(), metavar="NAME",
                        help=_("报表名称：{names}").format(names=", ".join(registry.names())))
    report.add_argument("--year", type=int, required=True, help=_("统计年度，如 2016"))
    report.add_argument("--out", type=Path, required=True, help=_("输出文件"))


def _report(ws: Workspace, args: argparse.Namespace) -> int:
    from app.reports import registry

    def progress(done: int, total: int, message: str) -> None:
        if total and sys.stderr.isatty():
            print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    path = registry.run(ws, args.name, year=args.year, out_path=args.out, progress=progress)
    if sys.stderr.isatty():
        print(file=sys.stderr)
    print(_("已输出报表 {name}（{year} 年度）到 {path}").format(name=args.name, year=args.year, path=path))
    return 0


def _init(ws: Workspace, args: argparse.Namespace) -> int:
    division = divisions.find_division(ws, args.division)
    if division is None:
        names = "、".join(d.name for d in divisions.list_divisions(ws))
        print(_("未知的县（区）：{name}。可选：{names}").format(name=args.division, names=names), file=sys.stderr)
        return 2
    node.setup_node(ws, division_uid=division.uid, operator=args.operator)
    print(_("已初始化：本机服务 {division}，操作员 {operator}。").format(division=division.name, operator=ws.operator))
    return 0


def _demo(ws: Workspace, args: argparse.Namespace) -> int:
    if ws.needs_setup:
        city = divisions.find_division(ws, divisions.CITY_CODE)
        node.setup_node(ws, division_uid=city.uid, operator=_("演示"))
    if args.sub_projects < 0:
        print(_("子项目个数不能为负数。"), file=sys.stderr)
        return 2

    def report(done: int, total: int, message: str) -> None:
        if total and sys.stderr.isatty():
            print(f"\r{message} {done}/{total}", end="", file=sys.stderr, flush=True)

    result = demo.generate(ws, sub_projects=args.sub_projects, seed=args.seed, progress=report)
    print(file=sys.stderr)
    print(_("已生成 {m} 个总规项目、{s} 个子项目，用时 {t:.1f} 秒。").format(
        m=result.master_projects, s=result.sub_projects, t=result.seconds))
    return 0


def _stats(ws: Workspace, args: argparse.Namespace) -> int:
    from app.services import dashboard

    figures = stats.collect(ws)
    if args.json:
        # the dashboard's figures per division, the whole and the monthly progress (统计概览)
        figures["dashboard"] = dashboard.collect(ws).as_json()
        print(json.dumps(figures, ensure_ascii=False, indent=2))
        return 0
    for name, count in figures["entities"].items():
        print(f"{name}\t{count}")
    return 0


def _import_master(ws: Workspace, args: argparse.Namespace) -> int:
    from app.services.master_list.importer import commit_import, plan_import

    if ws.needs_setup and not args.dry_run:
        print(_("本机尚未初始化，请先运行 init --division 县（区）名称。"), file=sys.stderr)
        return 2
    plan = plan_import(ws, args.file)
    if not args.dry_run and (plan.created or plan.updated or plan.masters_created or plan.masters_updated):
        commit_import(ws, plan)
    summary = plan.summary()
    summary["dry_run"] = args.dry_run
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    print(_("新增 {created} · 修改 {updated} · 未变 {unchanged} · 跳过 {skipped} 行 · 退回 {rejected} 行").format(
        created=summary["created"], updated=summary["updated"], unchanged=summary["unchanged"],
        skipped=summary["skipped"], rejected=summary["rejected_rows"]))
    if args.dry_run:
        print(_("（试运行：数据库未作修改）"))
    for rejection in plan.rejected:
        print(_("第 {row} 行 [{column}] “{value}”：{message}").format(**rejection.as_dict()))
    return 0


def _export_master(ws: Workspace, args: argparse.Namespace) -> int:
    from app.services.master_list.exporter import export_register

    count = export_register(ws, args.out)
    print(_("已导出 {n} 个子项目到 {path}").format(n=count, path=args.out))
    return 0


def _acceptance_for(ws: Workspace, text: str) -> acceptances.AcceptanceDetail:
    """An acceptance uid, or a sub-project code: its latest passed acceptance, else its latest one."""
    try:
        return acceptances.get(ws, text.strip())
    except NotFound:
        pass
    sub_uid = sub_projects.uid_for_code(ws, text)
    if sub_uid is None:
        raise NotFound(_("找不到验收记录或子项目：{text}").format(text=text))
    found = acceptances.for_sub_project(ws, sub_uid)
    if not found:
        raise NotFound(_("子项目 {code} 还没有验收记录。").format(code=text))
    passed = [a for a in found if a.conclusion == "pass"]
    return (passed or found)[-1]


def _certificate(ws: Workspace, args: argparse.Namespace) -> int:
    from app.reports import certificate_pdf, opinion_letter_pdf

    acceptance = _acceptance_for(ws, args.acceptance)
    issued = certificates.for_acceptance(ws, acceptance.uid)
    valid = [c for c in issued if c.status == "valid"]
    if args.opinion_letter or not issued:
        opinion_letter_pdf.render_opinion_letter(opinion_letter_pdf.opinion_letter_data(ws, acceptance.uid), args.out)
        if not args.opinion_letter:
            state = _(CONCLUSIONS[acceptance.conclusion]) if acceptance.conclusion else _("尚未作出结论")
            print(_("该验收没有合格证书（验收结论：{state}），已改为输出验收意见书。").format(state=state))
        print(_("已输出验收意见书到 {path}").format(path=args.out))
        return 0
    view = (valid or issued)[-1]
    digest = certificate_pdf.render_certificate(view, args.out)
    if view.status == "valid":
        certificates.record_pdf_hash(ws, view.uid, digest)
    else:
        print(_("证书 {number} 已作废，输出的文件带“作废”标记。").format(number=view.number))
    print(_("已输出合格证书 {number} 到 {path}（SHA-256 {digest}）").format(number=view.number, path=args.out,
                                                                   digest=digest))
    return 0


def _verify_certificate(ws: Workspace, args: argparse.Namespace) -> int:
    result = certificates.verify(ws, args.text)
    if not result.ok:
        print(result.message, file=sys.stderr)
        return 1
    view = result.certificate
    facts = view.facts
    print(result.message)
    details = (
        (_("证书编号"), view.number), (_("签发日期"), view.issued_on.isoformat()),
        (_("子项目"), f"{facts['sub_project_code']} {facts['sub_project_name']}"),
        (_("所属总规项目"), facts.get("master_project", "")), (_("县（区）"), facts.get("division", "")),
        (_("项目业主（责任单位）"), facts.get("owner_unit", "")), (_("验收日期"), facts.get("acceptance_date", "")),
        (_("验收结论"), _("{conclusion}（总分 {total:g} 分，{grade}）").format(
            conclusion=_(facts["conclusion"]), total=facts.get("total_score") or 0,
            grade=_(facts["grade"]) if facts.get("grade") else "")),
        (_("验收小组"), "、".join(m["name"] for m in facts.get("members", []))),
        (_("证书 PDF 的 SHA-256"), view.pdf_sha256 or _("（尚未记录）")),
    )
    for label, value in details:
        print(_("{label}：{value}").format(label=label, value=value))
    return 0


COMMANDS = {"init": _init, "demo": _demo, "import-master": _import_master, "export-master": _export_master,
            "stats": _stats, "certificate": _certificate, "verify-certificate": _verify_certificate,
            "report": _report,
            **cli_sync.COMMANDS, **cli_assessment.COMMANDS}


def main(argv: list[str] | None = None) -> int:
    set_language(app_settings.load().language)  # 设置 > 界面语言, before any text is made
    args = _parser().parse_args(argv)
    path = args.db or cli_backup.default_db_path()
    if args.command in cli_backup.COMMANDS:
        return cli_backup.run(path, args)  # on the file itself: it may be damaged or missing
    try:
        ws = Workspace.open(path)
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    try:
        return COMMANDS[args.command](ws, args)
    except ValidationError as exc:
        for message in exc.field_errors.values():
            print(message, file=sys.stderr)
        return 2
    except AppError as exc:
        print(exc.message, file=sys.stderr)
        return 1
    finally:
        ws.close()
