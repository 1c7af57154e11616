"""The English catalog: complete, compiled, faithful to placeholders, and used by the core without Qt.

When a test here fails after you added or changed interface text:

    python -m app.i18n.catalog update     # merge the new messages into the .po
    (translate the empty msgstr entries in app/i18n/locale/en/LC_MESSAGES/messages.po)
    python -m app.i18n.catalog compile    # or update again: writes the .mo
    python -m app.i18n.catalog check      # what is still missing
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from app.i18n import DEFAULT_LANGUAGE, _, catalog, current_language, set_language
from app.services import sub_projects
from tests.conftest import sub_project_input

APP = Path(__file__).resolve().parents[1] / "app"
HAN = re.compile(r"[\u4e00-\u9fff]")
HOW = "run `python -m app.i18n.catalog update`, translate the empty entries of the .po, run it again"


@pytest.fixture(scope="module")
def english_catalog():
    return catalog.read("en")


@pytest.fixture
def english():
    set_language("en")
    yield
    set_language(DEFAULT_LANGUAGE)


def _key(message) -> tuple[str | None, str]:
    return message.context, message.id if isinstance(message.id, str) else message.id[0]


def test_every_message_of_the_code_has_an_english_translation(english_catalog):
    code = {_key(m) for m in catalog.extract() if m.id}
    translated = {_key(m) for m in english_catalog if m.id and m not in catalog.untranslated(english_catalog)}
    missing = sorted(msgid for _context, msgid in code - translated)
    assert missing == [], f"{len(missing)} message(s) without an English translation ({HOW}):\n" + "\n".join(missing)


def test_the_shipped_mo_is_compiled_from_the_po(english_catalog):
    # the application reads the .mo: a .po edited without compiling would not reach users
    assert catalog.mo_path("en").read_bytes() == catalog.compiled(english_catalog), \
        "run `python -m app.i18n.catalog compile`"


def test_translations_keep_placeholders_and_mnemonics(english_catalog):
    assert catalog.mismatches(english_catalog) == []


def test_the_placeholder_check_sees_what_format_would_break():
    assert catalog.placeholders("“{label}”应为 0 到 {max:g} 之间") == catalog.placeholders("{label} {max:g}")
    assert catalog.placeholders("共 {n} 个") != catalog.placeholders("{count} in all")
    assert catalog.placeholders("{share:.1%} 和 %s") != catalog.placeholders("{share:.0%} and %s")
    assert len(catalog.MNEMONIC.findall("文件(&F)")) == len(catalog.MNEMONIC.findall("&File")) == 1
    assert catalog.MNEMONIC.findall("R&&D") == []


def test_no_translation_is_the_chinese_copied(english_catalog):
    # a msgstr pasted from its msgid passes the emptiness check but leaves the text Chinese; Chinese
    # inside a translation stays only as input vocabulary or examples (是/否, 芦山县)
    copied = [m.id for m in english_catalog if m.id and HAN.search(str(m.id)) and m.string == m.id]
    assert copied == []


def _import_time_calls(path: Path) -> list[str]:
    """``_()``/``ngettext``/``pgettext`` evaluated when the module is imported (module or class
    body, default arguments): they would be frozen in the language of the import."""
    found: list[str] = []

    def visit(node: ast.AST, deferred: bool) -> None:
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                and node.func.id in ("_", "ngettext", "pgettext") and not deferred):
            found.append(f"{path.relative_to(APP.parent)}:{node.lineno}: {ast.unparse(node)[:80]}")
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
            for default in [*node.args.defaults, *filter(None, node.args.kw_defaults)]:
                visit(default, deferred)
            for decorator in getattr(node, "decorator_list", []):
                visit(decorator, deferred)
            for child in (node.body if isinstance(node.body, list) else [node.body]):
                visit(child, True)
            return
        for child in ast.iter_child_nodes(node):
            visit(child, deferred)

    visit(ast.parse(path.read_text(encoding="utf-8")), False)
    return found


def test_no_text_is_translated_at_import_time():
    offenders = [line for path in sorted(APP.rglob("*.py")) if "migrations" not in path.parts
                 for line in _import_time_calls(path)]
    assert offenders == [], "mark these with N_() and translate with _() where they are shown"


def test_a_service_validation_message_comes_back_in_english(english, ws, master, lushan):
    assert current_language() == "en"
    with pytest.raises(sub_projects.ValidationError) as refused:
        sub_projects.validate(ws, sub_project_input(master, lushan, name="", investment="三百万"))
    errors = refused.value.field_errors
    assert errors["name"] == '"Sub-project name" cannot be empty.'
    assert "10k yuan" in errors["investment"] and "三百万" in errors["investment"]
    assert refused.value.message.startswith("Invalid input:")
    assert not HAN.search(errors["name"])


def test_chinese_stays_the_default():
    set_language(DEFAULT_LANGUAGE)
    assert _("子项目名称") == "子项目名称"


def test_the_command_line_speaks_the_language_saved_in_the_settings(tmp_path, monkeypatch, capsys):
    import pytest

    from app import cli
    from app.i18n import set_language
    from app.services import settings as app_settings

    monkeypatch.setenv(app_settings.HOME_ENV, str(tmp_path / "home"))
    app_settings.save(app_settings.Settings(language="en"))
    try:
        with pytest.raises(SystemExit):
            cli.main(["--help"])
    finally:
        set_language("zh_CN")
    shown = capsys.readouterr().out
    assert "export-package" in shown and not HAN.search(shown)
