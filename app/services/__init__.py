"""Qt-free services: one module per entity owns its validation, state changes and audit.

The UI, the command line and the tests all go through these modules.
"""
