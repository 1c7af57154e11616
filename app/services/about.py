"""What 帮助 > 关于 shows of this installation: version, node, database. Read-only.

The node's fingerprint is the one enrolled with its key; a node that has never exported
its identity or a package has no key yet, and reading 关于 does not make one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from app import __version__
from app.models import Division, Node
from app.services.workspace import Workspace
from app.sync import keys


@dataclass(frozen=True)
class AboutFacts:
    version: str
    division: str
    node_uid: str
    node_code: str
    #: empty when the node has no signing key yet
    fingerprint: str
    operator: str
    db_path: Path


def facts(ws: Workspace) -> AboutFacts:
    division = node_uid = node_code = fingerprint = ""
    with ws.db.read() as session:
        node = session.scalar(select(Node).where(Node.is_local.is_(True)))
        if node is not None:
            node_uid, node_code, fingerprint = node.uid, node.code, node.fingerprint
            division = session.scalar(select(Division.name).where(Division.uid == node.division_uid)) or ""
    if node_uid and not fingerprint:
        key_file = keys.key_path(ws.db.path, node_uid)
        if key_file.exists():  # made, not yet enrolled locally: its fingerprint without writing
            fingerprint = keys.fingerprint(keys.public_hex(keys.load_or_create(ws.db.path, node_uid)))
    return AboutFacts(__version__, division, node_uid, node_code, fingerprint, ws.operator, Path(ws.db.path))
