"""Start the field archive kit's window: ``python main.py [--db PATH] [--demo]``."""

if __name__ == "__main__":
    # Batch PDF workers are spawned processes: they re-import this file, and must neither
    # start a window nor pay for importing Qt; a frozen bundle needs freeze_support too.
    import multiprocessing

    multiprocessing.freeze_support()
    from app.ui.application import main

    raise SystemExit(main())
