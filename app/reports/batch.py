"""Many certificates at once, on every core: rendered in worker processes, recorded here.

Workers are started with ``spawn`` (the only start method on Windows, and the safe one
beside Qt threads and open SQLite handles on Linux) and receive plain data (each
certificate's frozen facts, number, status and QR text), never the workspace: only this
process talks to the database, and a worker imports reportlab but not the database layer. Each PDF is written atomically by the worker; the parent records the
hash of every valid certificate as its future completes (the hash of a voided one's
copy, which carries the 作废 mark, is not the issued document's). A cancel or a failure
stops the batch and removes the PDFs it created, so the folder is left as it was.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path

from app.errors import Cancelled
from app.i18n import _, current_language, set_language
from app.reports import certificate_pdf
from app.services import certificates
from app.services.certificates import CertificateView
from app.services.tasks import CancelToken, ProgressSink, no_progress
from app.services.workspace import Workspace


def file_name(view: CertificateView) -> str:
    """Deterministic: the certificate number names the file (numbers are unique)."""
    return f"{view.number}.pdf"


def render_batch(ws: Workspace, certificate_uids: Iterable[str], out_dir: Path | str, *, processes: int = 2,
                 cancel: CancelToken | None = None, progress: ProgressSink = no_progress) -> list[Path]:
    """Render the certificates ``certificate_uids`` into ``out_dir`` as ``<number>.pdf``.

    Returns the paths in the order asked. ``processes <= 1`` renders here, without a pool
    (starting one costs ~0.3 s, more than a handful of certificates). Raises ``Cancelled``.
    """
    folder = Path(out_dir)
    folder.mkdir(parents=True, exist_ok=True)
    views = [certificates.get(ws, uid) for uid in dict.fromkeys(certificate_uids)]
    targets = {view.uid: folder / file_name(view) for view in views}
    existed = {path for path in targets.values() if path.exists()}
    message, total, done = _("正在生成合格证书…"), len(views), 0
    progress(0, total, message)

    def finished(view: CertificateView, sha256: str) -> None:
        nonlocal done
        if view.status == "valid":
            certificates.record_pdf_hash(ws, view.uid, sha256)
        done += 1
        progress(done, total, message)

    try:
        if processes <= 1 or total <= 1:
            for view in views:
                if cancel is not None:
                    cancel.check()
                finished(view, certificate_pdf.render_certificate(view, targets[view.uid]))
        else:
            _render_in_pool(views, targets, min(processes, total), cancel, finished)
    except BaseException:
        # a cancelled or failed batch leaves no file of its own behind (each was whole: atomic writes)
        for path in targets.values():
            if path not in existed:
                path.unlink(missing_ok=True)
        raise
    return [targets[view.uid] for view in views]


def _render_in_pool(views: list[CertificateView], targets: dict[str, Path], processes: int,
                    cancel: CancelToken | None, finished) -> None:
    context = multiprocessing.get_context("spawn")
    # workers print in the language this process speaks (a spawned process starts in Chinese)
    pool = ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=set_language,
                               initargs=(current_language(),))
    try:
        pending: dict[Future, CertificateView] = {
            pool.submit(certificate_pdf.render_printable, certificate_pdf.printable(view), str(targets[view.uid])): view
            for view in views}
        while pending:
            # a short timeout so a cancel is seen even while every worker is busy
            completed, _running = wait(pending, timeout=0.2, return_when=FIRST_COMPLETED)
            for future in completed:
                finished(pending.pop(future), future.result())
                if cancel is not None and cancel.cancelled:
                    raise Cancelled()
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
    finally:
        # drop what has not started; wait for the running ones, whose files the caller may remove
        pool.shutdown(wait=True, cancel_futures=True)
