"""Command-line sync: node keys and enrolment, export packages, import and merge, conflicts."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from app.i18n import _
from app.services import conflicts, enrolment, package_batch, packages
from app.services.sync_overview import counts_text
from app.services.workspace import Workspace


def add_commands(commands) -> None:
    key = commands.add_parser("node-key", help=_("导出本机的节点身份（公钥），供市局登记"))
    key.add_argument("--out", type=Path, required=True, help=_("身份文件"))
    enrol = commands.add_parser("enrol", help=_("核对指纹后登记另一节点的身份文件"))
    enrol.add_argument("file", type=Path)
    revoke = commands.add_parser("revoke", help=_("吊销某节点的密钥"))
    revoke.add_argument("node", help=_("节点标识（uid）或节点代码"))
    revoke.add_argument("--reason", default="", help=_("吊销原因"))
    export = commands.add_parser("export-package", help=_("生成导出包"))
    export.add_argument("out", type=Path)
    export.add_argument("--to", default=None, help=_("接收节点（默认：已登记的市局节点）"))
    load = commands.add_parser("import-package", help=_("校验并合并导出包（可一次给出多个，合并前只备份一次）"))
    load.add_argument("file", type=Path, nargs="+")
    load.add_argument("--dry-run", action="store_true", help=_("只预览将要新增、更新和冲突的记录"))
    load.add_argument("--json", action="store_true")
    listing = commands.add_parser("conflicts", help=_("列出待处理的冲突"))
    listing.add_argument("--json", action="store_true")


def _node_key(ws: Workspace, args: argparse.Namespace) -> int:
    identity = enrolment.export_identity(ws, args.out)
    print(_("已导出本机身份：{label}，节点代码 {code}").format(label=identity.division_name, code=identity.node_code))
    print(_("密钥指纹：{fp}（请与市局屏幕上显示的指纹逐字核对）").format(fp=identity.fingerprint))
    return 0


def _enrol(ws: Workspace, args: argparse.Namespace) -> int:
    identity = enrolment.read_identity(args.file)
    enrolment.enrol(ws, identity)
    print(_("已登记 {division} 的节点 {code}，密钥指纹 {fp}").format(
        division=identity.division_name, code=identity.node_code, fp=identity.fingerprint))
    return 0


def _revoke(ws: Workspace, args: argparse.Namespace) -> int:
    match = next((n for n in enrolment.list_nodes(ws) if args.node in (n.uid, n.code)), None)
    if match is None:
        print(_("找不到节点 {node}。").format(node=args.node), file=sys.stderr)
        return 2
    enrolment.revoke(ws, match.uid, args.reason)
    print(_("已吊销节点 {code}（{label}）的密钥。").format(code=match.code, label=match.label))
    return 0


def _export(ws: Workspace, args: argparse.Namespace) -> int:
    result = packages.export_package(ws, args.out, receiver=args.to)
    total = sum(result.counts.values())
    print(_("已生成导出包 {path}：第 {seq} 号，{n} 条记录变更，{a} 个附件，已读回校验。").format(
        path=result.path, seq=result.sequence, n=total, a=result.attachments))
    return 0


def _import(ws: Workspace, args: argparse.Namespace) -> int:
    if len(args.file) > 1:
        return _import_batch(ws, args)
    result = packages.import_package(ws, args.file[0], dry_run=args.dry_run)
    summary = result.summary()
    if args.json:
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        return 0
    if result.already_imported:
        print(_("该导出包已导入过，未作任何修改。"))
        return 0
    print(_("新增 {added} · 更新 {updated} · 合并 {merged} · 已有 {known} · 冲突 {c}").format(
        c=len(summary["conflicts"]), **{k: summary[k] for k in ("added", "updated", "merged", "known")}))
    for line in summary["refused"] + summary["warnings"] + summary["nodes"]:
        print(line)
    if args.dry_run:
        print(_("（预览：数据库未作修改）"))
    return 0


def _import_batch(ws: Workspace, args: argparse.Namespace) -> int:
    """Several packages: each on its own, one backup before the first merge; exit 1 if any was refused."""
    run = package_batch.preview_packages if args.dry_run else package_batch.import_packages
    items = run(ws, args.file)
    if args.json:
        print(json.dumps([{"file": str(i.path), "state": i.state, "reason": i.reason,
                           "summary": i.preview.result.summary() if i.preview else None} for i in items],
                         ensure_ascii=False, indent=2))
    else:
        for item in items:
            line = f"{item.path.name}: {item.state_label}"
            if item.preview is not None and item.state != package_batch.ALREADY:
                line += "  " + counts_text(item.preview.counts)
            print(line + (f"  {item.reason}" if item.reason else ""))
        print(package_batch.summary(items) + (_("（预览：数据库未作修改）") if args.dry_run else ""))
    return 1 if any(i.state == package_batch.REFUSED for i in items) else 0


def _conflicts(ws: Workspace, args: argparse.Namespace) -> int:
    found = conflicts.list_conflicts(ws)
    if args.json:
        print(json.dumps([{"id": c.id, "entity": c.entity, "record_uid": c.record_uid, "record": c.record_label,
                           "local_by": c.local_by, "remote_by": c.remote_by, "detected_at": c.detected_at,
                           "fields": [{"field": f.name, "label": f.label, "local": f.local_text,
                                       "remote": f.remote_text, "provisional_winner": f.winner} for f in c.fields]}
                          for c in found], ensure_ascii=False, indent=2))
        return 0
    for c in found:
        print(f"#{c.id} {c.entity_label} {c.record_label}: " + "；".join(
            f"{f.label} {f.local_text} / {f.remote_text}" for f in c.fields))
    return 0


COMMANDS = {"node-key": _node_key, "enrol": _enrol, "revoke": _revoke, "export-package": _export,
            "import-package": _import, "conflicts": _conflicts}
