"""Node identities between the city and the counties: export, enrol after comparing
fingerprints, revoke. A package is accepted only from an enrolled, unrevoked key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select

from app.errors import AppError
from app.i18n import _
from app.models import Division, Node
from app.services.records import utcnow
from app.services.workspace import Workspace
from app.sync import keys

IDENTITY_FORMAT = "yaan-archive-node-identity/1"


@dataclass(frozen=True)
class NodeIdentity:
    node_uid: str
    node_code: str
    division_code: str
    division_name: str
    public_key: str
    fingerprint: str

    def to_json(self) -> str:
        return json.dumps({"format": IDENTITY_FORMAT, **self.__dict__}, ensure_ascii=False, indent=2)


def ensure_local_key(ws: Workspace):
    """This node's private key (made on first use) with its public half enrolled locally."""
    if ws.node_uid is None:
        raise AppError(_("本机尚未完成初始设置。"))
    key = keys.load_or_create(ws.db.path, ws.node_uid)
    public = keys.public_hex(key)
    with ws.db.write() as session:
        node = session.scalar(select(Node).where(Node.uid == ws.node_uid))
        if node.public_key != public:
            node.public_key, node.fingerprint, node.enrolled_at = public, keys.fingerprint(public), utcnow()
    return key


def local_identity(ws: Workspace) -> NodeIdentity:
    key = ensure_local_key(ws)
    with ws.db.read() as session:
        node = session.scalar(select(Node).where(Node.uid == ws.node_uid))
        division = session.scalar(select(Division).where(Division.uid == node.division_uid))
    public = keys.public_hex(key)
    return NodeIdentity(node.uid, node.code, division.code, division.name, public, keys.fingerprint(public))


def export_identity(ws: Workspace, path: Path) -> NodeIdentity:
    identity = local_identity(ws)
    Path(path).write_text(identity.to_json(), encoding="utf-8")
    return identity


def read_identity(path: Path) -> NodeIdentity:
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        if raw.pop("format", None) != IDENTITY_FORMAT:
            raise ValueError("format")
        identity = NodeIdentity(**raw)
        bytes.fromhex(identity.public_key)
    except (OSError, ValueError, TypeError) as exc:
        raise AppError(_("无法读取节点身份文件 {path}：{error}").format(path=path, error=exc)) from None
    if keys.fingerprint(identity.public_key) != identity.fingerprint:
        raise AppError(_("节点身份文件 {path} 中的指纹与公钥不符，文件可能被改动。").format(path=path))
    return identity


def enrol(ws: Workspace, identity: NodeIdentity) -> None:
    """Trust ``identity``'s key for packages from its node (after the fingerprints matched)."""
    with ws.db.write() as session:
        division = session.scalar(select(Division).where(Division.code == identity.division_code))
        if division is None:
            raise AppError(_("未知的县（区）代码 {code}。").format(code=identity.division_code))
        clash = session.scalar(select(Node).where(Node.code == identity.node_code, Node.uid != identity.node_uid))
        if clash is not None:
            raise AppError(_("节点代码 {code} 已被另一节点使用（{label}），证书编号会重复，不能登记。").format(
                code=identity.node_code, label=clash.label))
        node = session.scalar(select(Node).where(Node.uid == identity.node_uid))
        if node is None:
            session.add(Node(uid=identity.node_uid, division_uid=division.uid, label=division.name,
                             code=identity.node_code, is_local=False, created_at=utcnow(),
                             public_key=identity.public_key, fingerprint=identity.fingerprint, enrolled_at=utcnow()))
            return
        if node.is_local:
            raise AppError(_("这是本机自己的身份，无需登记。"))
        if node.public_key and node.public_key != identity.public_key and node.revoked_at is None:
            raise AppError(_("节点 {label} 已登记了另一把密钥（指纹 {fp}）；请先吊销旧密钥再登记新密钥。").format(
                label=node.label, fp=node.fingerprint))
        node.public_key, node.fingerprint = identity.public_key, identity.fingerprint
        node.code, node.enrolled_at, node.revoked_at, node.revoked_reason = identity.node_code, utcnow(), None, ""


def revoke(ws: Workspace, node_uid: str, reason: str) -> None:
    with ws.db.write() as session:
        node = session.scalar(select(Node).where(Node.uid == node_uid))
        if node is None or node.is_local:
            raise AppError(_("找不到要吊销的节点。"))
        node.revoked_at, node.revoked_reason = utcnow(), reason or _("未说明原因")


def directory(session) -> list[dict[str, Any]]:
    """Every node with a key, as the city sends it down: enrolments and revocations travel
    in the city's packages (SYNC.md), so a county learns which keys no longer count."""
    rows = session.execute(select(Node, Division.code).join(Division, Division.uid == Node.division_uid)
                           .where(Node.public_key != "").order_by(Node.code)).all()
    return [{"uid": n.uid, "code": n.code, "division_code": code, "label": n.label, "public_key": n.public_key,
             "fingerprint": n.fingerprint, "enrolled_at": _iso(n.enrolled_at), "revoked_at": _iso(n.revoked_at),
             "revoked_reason": n.revoked_reason or ""} for n, code in rows]


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat(timespec="seconds") if moment else None


def apply_directory(session, entries: list[dict[str, Any]], *, local_uid: str, sender_uid: str) -> list[str]:
    """Take the city's enrolments and revocations, inside the import's transaction; returns
    what changed, in words. The package's signature already proved the city sent them.

    A revoked key is never trusted again from a directory (only a person enrolling it here
    can), and an older directory (a late package) never undoes a newer enrolment."""
    said: list[str] = []
    for entry in entries:
        try:
            uid, public, fp = str(entry["uid"]), str(entry["public_key"]), str(entry["fingerprint"])
            valid_key = keys.fingerprint(public) == fp
            enrolled_at = datetime.fromisoformat(entry["enrolled_at"]) if entry.get("enrolled_at") else None
            revoked_at = datetime.fromisoformat(entry["revoked_at"]) if entry.get("revoked_at") else None
        except (KeyError, TypeError, ValueError):
            valid_key = False
        if not valid_key:
            said.append(_("市局发来的节点目录中有一条无法识别的记录，已忽略。"))
            continue
        label = str(entry.get("label") or entry.get("code") or uid)
        if uid == sender_uid:
            continue  # a package cannot vouch for its own signer
        if uid == local_uid:
            if revoked_at is not None:
                said.append(_("市局已吊销本机的密钥（原因：{reason}）：本机之后的数据包将被拒收，请与市局联系重新登记。").format(
                    reason=entry.get("revoked_reason") or _("未说明原因")))
            continue
        node = session.scalar(select(Node).where(Node.uid == uid))
        if node is None:
            division = session.scalar(select(Division).where(Division.code == entry.get("division_code")))
            clash = session.scalar(select(Node).where(Node.code == entry.get("code")))
            if division is None or clash is not None:
                said.append(_("市局登记的节点 {label} 与本机已知的节点代码冲突或县（区）未知，未登记。").format(label=label))
                continue
            session.add(Node(uid=uid, division_uid=division.uid, label=label, code=str(entry.get("code")),
                             is_local=False, created_at=utcnow(), public_key=public, fingerprint=fp,
                             enrolled_at=enrolled_at or utcnow(), revoked_at=revoked_at,
                             revoked_reason=entry.get("revoked_reason") or ""))
            said.append(_("登记了市局登记的节点 {label}（指纹 {fp}）。").format(label=label, fp=fp) if revoked_at is None
                        else _("记下了市局已吊销的节点 {label}（指纹 {fp}）。").format(label=label, fp=fp))
            continue
        if node.is_local:
            continue
        if node.public_key == public:
            if revoked_at is not None and node.revoked_at is None:
                node.revoked_at = revoked_at
                node.revoked_reason = entry.get("revoked_reason") or _("未说明原因")
                said.append(_("市局吊销了节点 {label} 的密钥（指纹 {fp}）。").format(label=node.label, fp=fp))
        elif revoked_at is None and enrolled_at is not None and (node.enrolled_at is None or enrolled_at > node.enrolled_at):
            node.public_key, node.fingerprint, node.enrolled_at = public, fp, enrolled_at
            node.revoked_at, node.revoked_reason = None, ""
            said.append(_("节点 {label} 换用了市局登记的新密钥（指纹 {fp}）。").format(label=node.label, fp=fp))
    return said


@dataclass(frozen=True)
class NodeInfo:
    uid: str
    code: str
    label: str
    fingerprint: str
    is_local: bool
    enrolled_at: datetime | None
    revoked_at: datetime | None


def list_nodes(ws: Workspace) -> list[NodeInfo]:
    with ws.db.read() as session:
        return [NodeInfo(n.uid, n.code, n.label, n.fingerprint, n.is_local, n.enrolled_at, n.revoked_at)
                for n in session.scalars(select(Node).order_by(Node.is_local.desc(), Node.code))]
