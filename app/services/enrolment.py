"""Node identities between the city and the counties: export, enrol after comparing
fingerprints, revoke. A package is accepted only from an enrolled, unrevoked key."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

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
