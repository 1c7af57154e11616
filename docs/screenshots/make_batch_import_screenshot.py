"""The city importing a round of county packages at once: python docs/screenshots/make_batch_import_screenshot.py

Writes ``import-packages-batch.png``: 导入数据包 with four files chosen (three counties'
packages with demo sub-projects, one of them imported before, and a file that is not a
package), as the preview table shows them before 全部合并. Throw-away databases in a
temporary folder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from shot_support import OUT, open_node, start_app  # first: Qt offscreen, the repository importable

from app.services import demo, enrolment, package_batch, packages  # noqa: E402
from app.ui.sync.batch_import_dialog import BatchImportDialog  # noqa: E402


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        app = start_app(tmp)
        folder = Path(tmp)
        city = open_node(folder / "city.db", "雅安市", "市局 王主任")
        counties = [open_node(folder / f"{name}.db", division, operator) for name, division, operator in (
            ("lushan", "芦山县", "张晓梅"), ("baoxing", "宝兴县", "李文"), ("tianquan", "天全县", "陈静"))]
        identities = [enrolment.local_identity(ws) for ws in (city, *counties)]
        for ws in (city, *counties):
            for identity in identities:
                if identity.node_uid != ws.node_uid:
                    enrolment.enrol(ws, identity)
        paths = []
        for n, ws in enumerate(counties):
            demo.generate(ws, sub_projects=40 + 25 * n)
            paths.append(packages.export_package(ws, folder / f"{ws.db.path.stem}-第1号.zip").path)
        packages.import_package(city, paths[2])  # 天全县's package came in last week
        stray = folder / "会议通知.zip"
        stray.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip, not a package
        items = package_batch.preview_packages(city, [*paths, stray])
        dialog = BatchImportDialog(city, items)
        dialog.show()
        app.processEvents()
        dialog.grab().save(str(OUT / "import-packages-batch.png"))
        for ws in (city, *counties):
            ws.close()


if __name__ == "__main__":
    main()
