"""The notices screen (通报): the list page and the dialog that edits a draft or shows an issued notice."""

from app.ui.notices.notice_dialog import NoticeDialog
from app.ui.notices.notices_page import NoticesPage

__all__ = ["NoticeDialog", "NoticesPage"]
