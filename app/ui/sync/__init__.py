"""Sync screens: export and import packages, conflicts, nodes and their keys."""
