"""An open database plus who is working on it: the context every service call receives."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import func, select

from app.db import Database
from app.db.migrate import UpgradeResult, upgrade_database
from app.models import AppSetting, Node, RecordRevision
from app.sync.hlc import HybridLogicalClock

APP_DIR_NAME = "YaanArchiveKit"
OPERATOR_KEY = "operator"


def default_db_path() -> Path:
    return user_data_path(APP_DIR_NAME, appauthor=False) / "archive.db"


@dataclass
class Workspace:
    """Thread-safe to share: each service call opens its own session from ``db``."""

    db: Database
    clock: HybridLogicalClock
    node_uid: str | None = None
    division_uid: str | None = None
    operator: str = ""
    upgrade: UpgradeResult | None = field(default=None, repr=False)

    @classmethod
    def open(cls, path: Path | str) -> Workspace:
        """Upgrade the schema if needed (after a backup), then load this node's identity."""
        path = Path(path)
        result = upgrade_database(path)
        db = Database(path)
        with db.read() as session:
            last_hlc = session.scalar(select(func.max(RecordRevision.hlc))) or 0
        ws = cls(db=db, clock=HybridLogicalClock(last_hlc), upgrade=result)
        ws.reload_identity()
        return ws

    def reload_identity(self) -> None:
        with self.db.read() as session:
            node = session.scalar(select(Node).where(Node.is_local.is_(True)))
            operator = session.get(AppSetting, OPERATOR_KEY)
        self.node_uid = node.uid if node else None
        self.division_uid = node.division_uid if node else None
        self.operator = operator.value if operator else ""

    @property
    def needs_setup(self) -> bool:
        return self.node_uid is None

    def close(self) -> None:
        self.db.dispose()
