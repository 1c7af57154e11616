"""seed reference data: Ya'an's divisions and the default retention schedule

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

Seeded records get the same uid and revision on every node (derived from fixed content),
so two installations never see their seed data as conflicting. The revision formula is
frozen here on purpose: this migration must produce the same ids forever.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from datetime import datetime

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SEED_NODE = "00000000-0000-7000-8000-000000000000"
SEED_OPERATOR = "system"
SEED_AT = datetime(2013, 4, 20)
SEED_HLC = 1366416000000 << 16
DIVISION_NAMESPACE = uuid.UUID("6f1c2a52-3c59-4a43-9d4e-5a2a1b0c7e11")
DEFAULT_SCHEDULE_UID = "0192f0a0-0000-7000-8000-000000000001"

# (code, name, short name, kind, order); the park has no statistical code: 511899 is ours.
DIVISIONS = [
    ("511800", "雅安市", "雅安", "city", 0),
    ("511802", "雨城区", "雨城", "district", 1),
    ("511803", "名山区", "名山", "district", 2),
    ("511822", "荥经县", "荥经", "county", 3),
    ("511823", "汉源县", "汉源", "county", 4),
    ("511824", "石棉县", "石棉", "county", 5),
    ("511825", "天全县", "天全", "county", 6),
    ("511826", "芦山县", "芦山", "county", 7),
    ("511827", "宝兴县", "宝兴", "county", 8),
    ("511899", "芦天宝飞地产业园区", "芦天宝飞地园区", "park", 9),
]

# Modelled on DA/T 28 (建设项目档案管理规范) practice for construction projects.
DEFAULT_ITEMS = [
    ("项目立项、审批、可行性研究及评估文件", "permanent"),
    ("项目用地、规划、环境影响评价等许可文件", "permanent"),
    ("勘察、设计及施工图审查文件", "permanent"),
    ("招标投标、政府采购及合同协议文件", "permanent"),
    ("项目管理机构、会议纪要及重要往来函件", "30y"),
    ("施工组织设计、技术交底及开工报审文件", "30y"),
    ("施工记录、检验批及分项分部工程质量验收记录", "30y"),
    ("隐蔽工程验收记录", "permanent"),
    ("原材料、构配件及设备出厂质量证明和复试报告", "30y"),
    ("监理规划、监理日志及监理报告", "30y"),
    ("竣工图", "permanent"),
    ("竣工验收、专项验收及质量评定文件", "permanent"),
    ("竣工决算、审计及财务文件", "permanent"),
    ("工程照片、录像等声像档案", "permanent"),
    ("安全生产及文明施工文件", "10y"),
    ("一般性事务工作联系单", "10y"),
]


def _rev(content: dict) -> str:
    payload = json.dumps(
        {"data": content, "deleted": False, "parent": None},
        sort_keys=True, ensure_ascii=False, separators=(",", ":"),
    )
    return "1-" + hashlib.sha256(payload.encode()).hexdigest()[:32]


def upgrade() -> None:
    divisions = sa.table(
        "divisions", *(sa.column(c) for c in (
            "uid", "code", "name", "short_name", "kind", "parent_uid", "sort_order", "origin_node",
            "rev", "parent_rev", "hlc", "updated_at", "updated_by", "deleted")),
    )
    schedules = sa.table(
        "retention_schedules", *(sa.column(c) for c in (
            "uid", "sub_project_uid", "items", "origin_node", "rev", "parent_rev", "hlc",
            "updated_at", "updated_by", "deleted")),
    )
    revisions = sa.table(
        "record_revisions", *(sa.column(c) for c in (
            "entity", "record_uid", "rev", "parent_rev", "merge_parent_rev", "hlc", "node",
            "operator", "deleted", "data")),
    )
    meta = {"origin_node": SEED_NODE, "parent_rev": None, "hlc": SEED_HLC,
            "updated_at": SEED_AT, "updated_by": SEED_OPERATOR, "deleted": False}
    city_uid = str(uuid.uuid5(DIVISION_NAMESPACE, "511800"))
    division_rows, revision_rows = [], []
    for code, name, short, kind, order in DIVISIONS:
        content = {"code": code, "name": name, "short_name": short, "kind": kind,
                   "parent_uid": None if kind == "city" else city_uid, "sort_order": order}
        uid = str(uuid.uuid5(DIVISION_NAMESPACE, code))
        rev = _rev(content)
        division_rows.append({"uid": uid, "rev": rev, **content, **meta})
        revision_rows.append({"entity": "divisions", "record_uid": uid, "rev": rev, "parent_rev": None,
                              "merge_parent_rev": None, "hlc": SEED_HLC, "node": SEED_NODE,
                              "operator": SEED_OPERATOR, "deleted": False,
                              "data": json.dumps(content, ensure_ascii=False)})
    op.bulk_insert(divisions, division_rows)

    items = [{"document_class": c, "retention": r} for c, r in DEFAULT_ITEMS]
    content = {"sub_project_uid": None, "items": items}
    rev = _rev(content)
    op.bulk_insert(schedules, [{"uid": DEFAULT_SCHEDULE_UID, "rev": rev, "sub_project_uid": None,
                                "items": json.dumps(items, ensure_ascii=False), **meta}])
    revision_rows.append({"entity": "retention_schedules", "record_uid": DEFAULT_SCHEDULE_UID,
                          "rev": rev, "parent_rev": None, "merge_parent_rev": None, "hlc": SEED_HLC,
                          "node": SEED_NODE, "operator": SEED_OPERATOR, "deleted": False,
                          "data": json.dumps(content, ensure_ascii=False)})
    op.bulk_insert(revisions, revision_rows)


def downgrade() -> None:
    op.execute("DELETE FROM record_revisions WHERE node = '%s'" % SEED_NODE)
    op.execute("DELETE FROM retention_schedules WHERE uid = '%s'" % DEFAULT_SCHEDULE_UID)
    op.execute("DELETE FROM divisions")
