"""What an import would do, computed before anything is written (the preview)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Rejection:
    """One reason a row is refused: its Excel row number (1-based), the header, the value."""

    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message}


@dataclass(frozen=True)
class SourceRow:
    """A data row as the file holds it: Excel row number and the cell values, by column index."""

    row: int
    cells: tuple[Any, ...]


@dataclass(frozen=True)
class FieldChange:
    key: str
    label: str
    old: str
    new: str


@dataclass
class PlannedRecord:
    """A sub-project (or master project) the import creates or changes."""

    row: int
    entity: str  # "sub_projects" or "master_projects"
    code: str
    name: str
    #: typed values to store (content fields of the entity; master/division given by code)
    values: dict[str, Any]
    uid: str | None = None
    expected_rev: str | None = None
    changes: list[FieldChange] = field(default_factory=list)


@dataclass
class ImportPlan:
    path: Path
    sheet: str
    header_row: int
    #: header text as in the file, by column index
    headers: list[str]
    ignored_columns: list[str]
    created: list[PlannedRecord] = field(default_factory=list)
    updated: list[PlannedRecord] = field(default_factory=list)
    masters_created: list[PlannedRecord] = field(default_factory=list)
    masters_updated: list[PlannedRecord] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    #: the rejected rows as read, for the file the office corrects and sends again
    rejected_rows: list[SourceRow] = field(default_factory=list)

    @property
    def rejected_row_numbers(self) -> list[int]:
        return sorted({r.row for r in self.rejected})

    def summary(self) -> dict[str, Any]:
        return {
            "file": str(self.path), "sheet": self.sheet, "header_row": self.header_row,
            "created": len(self.created), "updated": len(self.updated),
            "unchanged": len(self.unchanged), "skipped": len(self.skipped),
            "master_projects_created": len(self.masters_created),
            "master_projects_updated": len(self.masters_updated),
            "rejected_rows": len(self.rejected_row_numbers),
            "ignored_columns": self.ignored_columns,
            "rejected": [r.as_dict() for r in self.rejected],
        }
