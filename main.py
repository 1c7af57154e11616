"""Start the field archive kit's window: ``python main.py [--db PATH] [--demo]``.

``python main.py --self-test [--report FILE]`` (and the bundled executable with the same
arguments) checks the installation without a display and exits 0 when it works.
"""

if __name__ == "__main__":
    # Batch PDF workers are spawned processes: they re-import this file, and must neither
    # start a window nor pay for importing Qt; a frozen bundle needs freeze_support too.
    import multiprocessing

    multiprocessing.freeze_support()
    import sys

    if "--self-test" in sys.argv[1:]:
        from app.ui.selftest import main as self_test

        raise SystemExit(self_test(sys.argv[1:]))
    from app.ui.application import main

    raise SystemExit(main())
