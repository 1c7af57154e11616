"""督导 screen: supervision rounds, their groups, and the re-check of carried-over problems."""

from app.ui.supervision.supervision_page import SupervisionPage

__all__ = ["SupervisionPage"]
