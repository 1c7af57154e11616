"""帮助 > 关于: version, this node, the database, and the licences of what the program ships.

The libraries and their licences come from package metadata (``app.licences``), the
font's from its copyright file, so the list is the one actually installed or bundled.
"""

from __future__ import annotations

from html import escape

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QTabWidget, QTextBrowser, QVBoxLayout, QWidget

from app import licences
from app.i18n import _
from app.services import about
from app.services.workspace import Workspace


class AboutDialog(QDialog):
    help_topic = "help"

    def __init__(self, ws: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("关于"))
        self.setObjectName("about_dialog")
        self.facts = about.facts(ws)
        self.components = licences.components()
        self.font_licence = licences.font_licence()

        heading = QLabel("<h2>{title}</h2><p>{version}</p>".format(
            title=escape(_("雅安灾后重建项目档案现场工作包")),
            version=escape(_("版本 {version}").format(version=self.facts.version))), self)
        self.tabs = QTabWidget(self)
        self.info = self._browser("about_info", self._info_html())
        self.licence_list = self._browser("about_licences", self._licences_html())
        self.font_text = self._browser("about_font_licence", f"<pre>{escape(self.font_licence.text)}</pre>")
        self.tabs.addTab(self.info, _("本机"))
        self.tabs.addTab(self.licence_list, _("许可证"))
        self.tabs.addTab(self.font_text, _("字体许可证全文"))

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.copy_button = buttons.addButton(_("复制信息"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(760, 600)

    def _browser(self, name: str, html: str) -> QTextBrowser:
        browser = QTextBrowser(self)
        browser.setObjectName(name)
        browser.setOpenExternalLinks(True)
        browser.setHtml(html)
        return browser

    def info_rows(self) -> list[tuple[str, str]]:
        f = self.facts
        return [
            (_("版本"), f.version),
            (_("服务单位"), f.division or _("（尚未设置）")),
            (_("节点代码"), f.node_code or "-"),
            (_("节点标识"), f.node_uid or "-"),
            (_("密钥指纹"), f.fingerprint or _("尚未生成（首次导出本机身份或数据包时生成）")),
            (_("操作员"), f.operator or "-"),
            (_("数据库"), str(f.db_path)),
            (_("数据文件夹"), str(f.db_path.parent)),
            (_("界面库"), f"PySide6 {pyside_version} / Qt {qVersion()}"),
            (_("字体"), _("{name} {version}（{licence}），用于界面和打印的证书、通报").format(
                name=self.font_licence.name, version=self.font_licence.version, licence=self.font_licence.licence)),
        ]

    def _info_html(self) -> str:
        rows = "".join(f"<tr><td><b>{escape(k)}</b></td><td>{escape(v)}</td></tr>" for k, v in self.info_rows())
        return f"<table cellspacing='0' cellpadding='4'>{rows}</table>"

    def _licences_html(self) -> str:
        font = self.font_licence
        head = (f"<tr><th align='left'>{escape(_('组件'))}</th><th align='left'>{escape(_('版本'))}</th>"
                f"<th align='left'>{escape(_('许可证'))}</th></tr>")
        # Qt's libraries come in PySide6's distribution, under its licence
        qt_licence = next((c.licence for c in self.components if c.name.lower().startswith("pyside6")), "LGPL-3.0")
        rows = [f"<tr><td>{escape(font.name)}</td><td>{escape(font.version)}</td><td>{escape(font.licence)}</td></tr>",
                f"<tr><td>Qt</td><td>{escape(qVersion())}</td><td>{escape(qt_licence)}</td></tr>"]
        rows += [f"<tr><td>{escape(c.name)}</td><td>{escape(c.version)}</td><td>{escape(c.licence)}</td></tr>"
                 for c in self.components]
        note = _("界面和证书使用的字体、Qt 及以上各库随本程序分发，各自按其许可证授权；"
                 "LGPL 组件（Qt、PySide6）以动态库形式提供，可自行替换。")
        return f"<p>{escape(note)}</p><table cellspacing='0' cellpadding='3'>{head}{''.join(rows)}</table>"

    def text(self) -> str:
        """The facts and licences as plain text (what 复制信息 copies)."""
        lines = [_("雅安灾后重建项目档案现场工作包"), *(f"{k}: {v}" for k, v in self.info_rows()), ""]
        lines += [f"{c.name} {c.version}: {c.licence}" for c in self.components]
        return "\n".join(lines)

    def copy_to_clipboard(self) -> None:
        QGuiApplication.clipboard().setText(self.text())
