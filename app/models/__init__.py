"""ORM models. Importing this package registers every table on ``Base.metadata``."""

from app.models.acceptance import (ACCEPTANCE_STATUSES, CERTIFICATE_STATUSES, CONCLUSIONS, ITEM_KINDS,
                                   MEMBER_ROLES, MEMBER_UNITS, TEMPLATE_STATUSES, VOTES, Acceptance,
                                   AcceptanceGroupMember, AcceptanceScore, Certificate, ChecklistItem,
                                   ChecklistSection, ChecklistTemplate)
from app.models.assessment import (ASSESSMENT_STATUSES, RULE_KINDS, RULE_SCOPES, RULE_SET_STATUSES, SUBJECT_KINDS,
                                   Assessment, AssessmentRuleItem, AssessmentRuleSet, AssessmentScore)
from app.models.base import Base
from app.models.division import AppSetting, Division, Node
from app.models.field_work import (PROBLEM_CATEGORIES, PROBLEM_SOURCES, PROBLEM_STATES, VISIT_KINDS, Attachment,
                                   GuidanceVisit, Problem)
from app.models.history import AuditEntry, RecordRevision
from app.models.project import CONSTRUCTION_STATUSES, MasterProject, SubProject
from app.models.retention import DEFAULT_SCHEDULE_UID, RETENTION_PERIODS, RetentionSchedule
from app.models.supervision import (NOTICE_STATUSES, RECHECK_RESULTS, TRAINING_LEVELS, Notice, NoticeItem,
                                    RoundRecheck, SupervisionGroup, SupervisionRound, Training)
from app.models.sync import SyncMixin
from app.models.sync_state import CONFLICT_STATUSES, Conflict, Package, PeerState

#: Every synchronised entity, by table name (the name that travels in packages and audit).
SYNC_MODELS: dict[str, type[SyncMixin]] = {
    mapper.class_.__tablename__: mapper.class_
    for mapper in Base.registry.mappers
    if issubclass(mapper.class_, SyncMixin)
}

__all__ = [
    "ASSESSMENT_STATUSES",
    "Assessment",
    "AssessmentRuleItem",
    "AssessmentRuleSet",
    "AssessmentScore",
    "RULE_KINDS",
    "RULE_SCOPES",
    "RULE_SET_STATUSES",
    "SUBJECT_KINDS",
    "CONFLICT_STATUSES",
    "Conflict",
    "Package",
    "PeerState",
    "ACCEPTANCE_STATUSES",
    "Acceptance",
    "AcceptanceGroupMember",
    "AcceptanceScore",
    "CERTIFICATE_STATUSES",
    "CONCLUSIONS",
    "Certificate",
    "ChecklistItem",
    "ChecklistSection",
    "ChecklistTemplate",
    "ITEM_KINDS",
    "MEMBER_ROLES",
    "MEMBER_UNITS",
    "TEMPLATE_STATUSES",
    "VOTES",
    "AppSetting",
    "Attachment",
    "GuidanceVisit",
    "NOTICE_STATUSES",
    "Notice",
    "NoticeItem",
    "PROBLEM_CATEGORIES",
    "PROBLEM_SOURCES",
    "PROBLEM_STATES",
    "Problem",
    "RECHECK_RESULTS",
    "RoundRecheck",
    "SupervisionGroup",
    "SupervisionRound",
    "TRAINING_LEVELS",
    "Training",
    "VISIT_KINDS",
    "AuditEntry",
    "Base",
    "CONSTRUCTION_STATUSES",
    "DEFAULT_SCHEDULE_UID",
    "Division",
    "MasterProject",
    "Node",
    "RETENTION_PERIODS",
    "RecordRevision",
    "RetentionSchedule",
    "SYNC_MODELS",
    "SubProject",
    "SyncMixin",
]
