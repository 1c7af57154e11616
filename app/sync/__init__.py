"""Sync primitives shared by services and (later) packages: revisions and the clock."""
