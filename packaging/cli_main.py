"""The bundle's command-line program, ``yaan-archive-cli``: the commands of ``python -m app``.

A second executable beside the windowed one, because a Windows program is either a console
program or a window program: the window one cannot print to the command prompt.
"""

if __name__ == "__main__":
    import multiprocessing

    multiprocessing.freeze_support()  # batch certificates run in spawned processes

    from app.cli import main

    raise SystemExit(main())
