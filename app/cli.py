"""Command line for scripted and batch work: ``python -m app [--db PATH] COMMAND``.

Every command goes through the same services as the window.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.errors import AppError, ValidationError
from app.i18n import _
from app.services import demo, divisions, node, stats
from app.services.workspace import Workspace, default_db_path


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m app", description=_("雅安灾后重建项目档案现场工作包"))
    parser.add_argument("--db", type=Path, default=None,
                        help=_("数据库文件（默认：{path}）").format(path=default_db_path()))
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

    show = commands.add_parser("stats", help=_("统计各类记录数"))
    show.add_argument("--json", action="store_true", help=_("以 JSON 输出"))
    return parser


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
    figures = stats.collect(ws)
    if args.json:
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


COMMANDS = {"init": _init, "demo": _demo, "import-master": _import_master, "export-master": _export_master,
            "stats": _stats}


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    path = args.db or default_db_path()
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
