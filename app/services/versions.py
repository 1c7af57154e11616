"""Versioned reference data: checklist templates and assessment rule sets.

Versions of one template share a ``lineage_uid`` and a rising ``version`` number; a draft
is edited, one version of a lineage is active, and the one it replaced is retired but
kept, since acceptances and assessments made on it point at it. The entity services own
their content; these are the lineage rules they share.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.errors import AppError
from app.i18n import _
from app.services import fields, records
from app.services.workspace import Workspace


def next_number(session: Session, model, lineage_uid: str) -> int:
    """The number a new version of ``lineage_uid`` takes."""
    return (session.scalar(select(func.max(model.version)).where(model.lineage_uid == lineage_uid)) or 0) + 1


def put_in_use(session: Session, ws: Workspace, model, record) -> None:
    """Make the draft ``record`` its lineage's active version, retiring the one before."""
    if record.status != "draft":
        raise AppError(_("只有草稿版本可以启用。"))
    for other in session.scalars(select(model).where(model.lineage_uid == record.lineage_uid,
                                                     model.status == "active", model.deleted.is_(False))):
        records.update(session, ws, other, {"status": "retired"}, action="retire")
    records.update(session, ws, record, {"status": "active"}, action="activate")


def require_unused_draft(record, used: bool, message: str) -> None:
    """Refuse (with ``message``) to change or drop a version that is in use or was used."""
    if record.status != "draft" or used:
        raise AppError(message)


def parse_grade_bands(raw_bands: Iterable[dict[str, Any]] | None, errors: dict[str, str], *,
                      min_label: str, name_label: str, empty_message: str,
                      number: Callable[..., float | None]) -> list[dict[str, Any]]:
    """A template's grade bands ({"min", "grade"}); a band's error goes to ``errors`` under
    ``band:<n>``. ``min_label`` and ``name_label`` name band n ({n}) in the template's own
    word (等级, 等次); ``number`` is the template's rule for a score."""
    bands = []
    for n, band in enumerate(raw_bands or [], start=1):
        try:
            low = number(band.get("min"), min_label.format(n=n), required=True)
            grade = fields.text(band.get("grade"), name_label.format(n=n), required=True, max_length=16)
            bands.append({"min": low, "grade": grade})
        except fields.FieldError as exc:
            errors[f"band:{n}"] = exc.message
    if not bands and not any(k.startswith("band:") for k in errors):
        errors["grade_bands"] = empty_message
    return bands
