"""验收检查表 screen: checklists and their versions, the draft editor, Excel export and import."""

from app.ui.checklists.checklists_page import ChecklistsPage
from app.ui.checklists.editor_dialog import ChecklistEditorDialog

__all__ = ["ChecklistEditorDialog", "ChecklistsPage"]
