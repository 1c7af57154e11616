"""Start the field archive kit's window: ``python main.py [--db PATH] [--demo]``."""

from app.ui.application import main

if __name__ == "__main__":
    raise SystemExit(main())
