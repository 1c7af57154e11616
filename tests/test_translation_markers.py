"""User-visible Chinese text goes through the one translation mechanism (gettext)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.extract import extract_from_dir

APP = Path(__file__).resolve().parents[1] / "app"
HAN = re.compile(r"[\u4e00-\u9fff]")
TRANSLATORS = {"_", "N_", "NC_", "ngettext", "pgettext"}
#: data, not interface text: seeded reference data and demo names
DATA_FILES = {"demo_data.py", "demo_field_data.py", "demo.py"}


#: a line that holds input vocabulary (what people type), not interface text, says so
IGNORE_MARK = "# i18n: input vocabulary"


def _untranslated(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    marked: set[int] = set()
    docstrings: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in TRANSLATORS:
            for arg in node.args:
                marked.add(id(arg))
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            # an f-string with Chinese words would bypass the catalog
            text = "".join(v.value for v in node.values if isinstance(v, ast.Constant))
            if HAN.search(text):
                found.append(f"{path.name}:{node.lineno}: f-string {text!r}")
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and HAN.search(node.value):
            if id(node) not in marked and id(node) not in docstrings and IGNORE_MARK not in lines[node.lineno - 1]:
                found.append(f"{path.name}:{node.lineno}: {node.value!r}")
    return found


def test_no_chinese_literal_escapes_the_catalog():
    offenders = []
    for path in sorted(APP.rglob("*.py")):
        if "migrations" in path.parts or path.name in DATA_FILES:
            continue
        offenders += _untranslated(path)
    assert offenders == []


def test_babel_extracts_the_interface_and_service_messages():
    messages = {msg for _file, _line, msg, _comments, _ctx in extract_from_dir(
        str(APP), method_map=[("**/migrations/**", "ignore"), ("**.py", "python")],
        keywords={"_": None, "N_": None, "NC_": ((1, "c"), 2), "ngettext": (1, 2), "pgettext": ((1, "c"), 2)})}
    assert "子项目编号" in messages  # from a model/service label (N_)
    assert "新建子项目…" in messages  # from the main window
    assert "“{label}”不能为空。" in messages  # a validation message of the core
