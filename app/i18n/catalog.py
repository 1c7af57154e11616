"""Keep the translation catalogs in step with the code: ``python -m app.i18n.catalog CMD``.

    update    extract the messages from app/ (as babel.cfg says), merge them into every
              ``locale/<lang>/LC_MESSAGES/messages.po`` keeping the translations already
              there, then compile the ``.mo``; prints what still needs a translation
    compile   compile every ``.po`` into its ``.mo``
    check     exit 1 when a message of the code has no translation, a translation's
              placeholders or mnemonic differ from its message id, or a ``.mo`` is stale
    extract   write the template (``messages.pot``, or ``-o FILE``) for outside tools

A developer tool: it needs Babel (the ``test`` extra), the application does not; it reads
the compiled ``.mo`` with the standard library's gettext. Translators edit the ``.po``
(messages removed from the code are kept there as obsolete ``#~`` entries, to reuse),
then run ``update`` or ``compile``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from app.i18n import DOMAIN, LOCALE_DIR

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
TEMPLATE = Path(__file__).with_name("messages.pot")
#: languages with a catalog; Simplified Chinese is the message ids themselves
LANGUAGES = ("en",)
PROJECT = "yaan-archive-kit"

#: ``{name}``, ``{name:fmt}``, ``{0}``, ``{}`` and printf-style ``%s`` / ``%(name)s``
PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})|%(?:\([^)]*\))?[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%]")
#: a keyboard mnemonic: one ``&`` before a character (``&&`` is a literal ampersand)
MNEMONIC = re.compile(r"(?<!&)&(?!&)(?=\S)")


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(language: str) -> Path:
    return po_path(language).with_suffix(".mo")


#: babel's own markers, and ``NC_`` (a message whose context is its first argument)
KEYWORDS = {**DEFAULT_KEYWORDS, "NC_": ((1, "c"), 2)}


def _method_map() -> list[tuple[str, str]]:
    with BABEL_CFG.open(encoding="utf-8") as fileobj:
        method_map, _options = parse_mapping_cfg(fileobj, BABEL_CFG.name)
    return method_map


def extract() -> Catalog:
    """Every message the code marks (``_``, ``N_``, ``NC_``, ``ngettext``, ``pgettext``) as a template."""
    template = Catalog(project=PROJECT, fuzzy=False)
    only_app = lambda dirname: Path(dirname).resolve().is_relative_to(ROOT / "app")  # noqa: E731
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), method_map=_method_map(), keywords=KEYWORDS,
        comment_tags=("i18n:", "Translators:"), strip_comment_tags=True,
        directory_filter=lambda d: only_app(d) or Path(d).resolve() == ROOT,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(language: str) -> Catalog:
    path = po_path(language)
    if not path.exists():
        return Catalog(locale=language, domain=DOMAIN, project=PROJECT, version="0.1",
                       copyright_holder="Ya'an reconstruction archives", fuzzy=False,
                       language_team=f"{language} <archives@yaan>")
    with path.open("rb") as fileobj:
        return read_po(fileobj, locale=language, domain=DOMAIN)


def write(catalog: Catalog, language: str) -> None:
    path = po_path(language)
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    # no line numbers and no wrapping: a catalog diff shows changed messages, not moved code
    write_po(buffer, catalog, width=0, include_lineno=False)
    _write_if_changed(path, buffer.getvalue())


def compiled(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def _write_if_changed(path: Path, data: bytes) -> bool:
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


def update(languages: Iterable[str] = LANGUAGES) -> dict[str, list[Message]]:
    """Merge the code's messages into each catalog and compile it; returns what is untranslated."""
    template = extract()
    todo = {}
    for language in languages:
        catalog = read(language)
        # no fuzzy guesses: a near match of a Chinese id is often a different meaning
        catalog.update(template, no_fuzzy_matching=True, update_creation_date=False)
        write(catalog, language)
        compile_catalog(language)
        todo[language] = untranslated(read(language))
    return todo


def compile_catalog(language: str) -> bool:
    return _write_if_changed(mo_path(language), compiled(read(language)))


def _strings(value: str | tuple[str, ...]) -> tuple[str, ...]:
    return value if isinstance(value, tuple) else (value,)


def _live(catalog: Catalog) -> Iterator[Message]:
    return (message for message in catalog if message.id)


def untranslated(catalog: Catalog) -> list[Message]:
    """Messages with no translation, an empty plural form, or only a fuzzy guess."""
    return [m for m in _live(catalog) if m.fuzzy or not all(text.strip() for text in _strings(m.string))]


def placeholders(text: str) -> Counter[str]:
    return Counter(PLACEHOLDER.findall(text))


def mismatches(catalog: Catalog) -> list[str]:
    """Translations whose placeholders or keyboard mnemonic differ from their message id."""
    problems = []
    for message in _live(catalog):
        ids = _strings(message.id)
        for index, text in enumerate(_strings(message.string)):
            if not text:
                continue
            source = ids[min(index, len(ids) - 1)]
            if placeholders(source) != placeholders(text):
                problems.append(f"placeholders differ: {source!r} -> {text!r}")
            if len(MNEMONIC.findall(source)) != len(MNEMONIC.findall(text)):
                problems.append(f"mnemonic differs: {source!r} -> {text!r}")
    return problems


def check(languages: Iterable[str] = LANGUAGES) -> list[str]:
    """Everything wrong with the catalogs, as lines to print; empty when they are complete."""
    code_ids = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _live(extract())}
    problems = []
    for language in languages:
        catalog = read(language)
        known = {(m.context, m.id if isinstance(m.id, str) else m.id[0]) for m in _live(catalog)}
        for context, msgid in sorted(code_ids - known, key=str):
            problems.append(f"{language}: not in the catalog (run update): {msgid!r}")
        for message in untranslated(catalog):
            problems.append(f"{language}: untranslated: {message.id!r}")
        problems += [f"{language}: {line}" for line in mismatches(catalog)]
        mo = mo_path(language)
        if not mo.exists() or mo.read_bytes() != compiled(catalog):
            problems.append(f"{language}: {mo.name} is not compiled from the current {po_path(language).name} (run compile)")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.i18n.catalog", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=("update", "compile", "check", "extract"))
    parser.add_argument("-o", "--output", type=Path, default=TEMPLATE, help="template file for 'extract'")
    args = parser.parse_args(argv)
    if args.command == "extract":
        buffer = io.BytesIO()
        write_po(buffer, extract(), width=0, include_lineno=False)
        args.output.write_bytes(buffer.getvalue())
        print(f"{args.output}: {len(extract())} messages")
        return 0
    if args.command == "compile":
        for language in LANGUAGES:
            print(f"{mo_path(language)}: {'written' if compile_catalog(language) else 'up to date'}")
        return 0
    if args.command == "update":
        for language, todo in update().items():
            print(f"{po_path(language)}: {len(read(language))} messages, {len(todo)} untranslated")
            for message in todo:
                print(f"  {message.id!r}")
        return 0
    problems = check()
    for line in problems:
        print(line)
    print(f"{len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
