"""Dialogs: each validates through its service before it closes."""
