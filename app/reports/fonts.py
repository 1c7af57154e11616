"""The CJK font of every printed document, registered with reportlab once, on first use.

WenQuanYi Micro Hei is a TrueType (glyf) face, so reportlab embeds it as a subset; the
unembedded ``STSong-Light`` CID font shows no text in poppler without poppler-data.
Importing reportlab and parsing the face costs ~0.1 s, so nothing happens at import.

The face has no bold. Official documents set headings and lead-ins heavier, so a second
name, ``BOLD_NAME``, shares the very same font object (one embedded subset) and
``Paragraph`` below draws text in that name filled *and* stroked: a faux bold that
copies, searches and extracts exactly like the regular text.
"""

from __future__ import annotations

import copy
import threading

from reportlab.lib import textsplit as _textsplit
from reportlab.lib.enums import TA_JUSTIFY
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.textobject import PDFTextObject
from reportlab.platypus import Paragraph as _Paragraph
from reportlab.platypus import paragraph as _paragraph_module

from app import resources

#: the same name as the certificate module uses, so a process registers one face
FONT_NAME = "WenQuanYiMicroHei"
BOLD_NAME = "WenQuanYiMicroHei-FauxBold"
#: stroke width of the faux bold, as a fraction of the font size
BOLD_STROKE = 0.035

#: Chinese closing punctuation reportlab's CJK line breaker lets start a line (it knows the
#: Japanese set): full-width comma, colon, semicolon, ! ?, closing quotes and title marks.
CANNOT_START_EXTRA = "\uff0c\uff1a\uff1b\uff01\uff1f\u300b\u3009\u300f\u300d\u201d\u2019\uff05\u2026"

_lock = threading.Lock()
_ready = False


def register() -> str:
    """Register the face (and its faux-bold alias) once; returns the regular name."""
    global _ready
    if not _ready:
        with _lock:
            if not _ready:
                if FONT_NAME in pdfmetrics.getRegisteredFontNames():
                    regular = pdfmetrics.getFont(FONT_NAME)  # another module got here first
                else:
                    regular = TTFont(FONT_NAME, str(resources.ui_font()), subfontIndex=0)
                    pdfmetrics.registerFont(regular)
                # A shallow copy shares the subset state, so both names embed one font file.
                bold = copy.copy(regular)
                bold.fontName = BOLD_NAME
                pdfmetrics.registerFont(bold)
                _teach_line_breaking()
                _ready = True
    return FONT_NAME


def _teach_line_breaking() -> None:
    # Both breakers (one-run and mixed-run paragraphs) read a module global; the characters
    # added only ever hang in the margin instead of opening the next line.
    for module in (_textsplit, _paragraph_module):
        module.ALL_CANNOT_START += "".join(c for c in CANNOT_START_EXTRA if c not in module.ALL_CANNOT_START)


def font_name() -> str:
    return register()


def bold_font_name() -> str:
    register()
    return BOLD_NAME


class FauxBoldText(PDFTextObject):
    """A text object that strokes glyphs while the current font is ``BOLD_NAME``."""

    def _bold(self, psfontname: str, size: float) -> None:
        if psfontname == BOLD_NAME:
            self._code.append(f"{size * BOLD_STROKE:.3f} w")
            self.setTextRenderMode(2)
        else:
            self.setTextRenderMode(0)

    def _setFont(self, psfontname, size):  # noqa: N802 - reportlab's name
        super()._setFont(psfontname, size)
        self._bold(psfontname, size)

    def setFont(self, psfontname, size, leading=None):  # noqa: N802
        super().setFont(psfontname, size, leading)
        self._bold(psfontname, size)

    def setWordSpace(self, wordSpace):  # noqa: N802, N803
        # Justified CJK lines (see ``Paragraph``) count characters as words: the space to
        # fill is spread between characters, as Chinese typesetting does.
        self.setCharSpace(wordSpace)

    def setFillColor(self, aColor, alpha=None):  # noqa: N802, N803
        # the stroke of the faux bold must be the colour of the fill
        super().setFillColor(aColor, alpha)
        self.setStrokeColor(aColor, alpha)


class Paragraph(_Paragraph):
    """A platypus paragraph that shows ``<font name=BOLD_NAME>`` runs as bold and justifies
    CJK text: reportlab stretches only spaces, which Chinese lines do not have, so every
    full line ended ragged (and a hanging comma stuck out into the margin)."""

    def breakLinesCJK(self, maxWidths):  # noqa: N802, N803
        frags = self.frags
        if len(frags) != 1 or hasattr(frags[0], "cbDefn") or self.style.endDots or self.bulletText:
            result = super().breakLinesCJK(maxWidths)
        elif hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            self.height = 0
            return self.blPara  # the part of a paragraph split across pages keeps its lines
        else:
            # one run: reportlab's shortcut breaks at spaces; the general breaker knows CJK
            self.height = 0
            widths = maxWidths if isinstance(maxWidths, (list, tuple)) else [maxWidths]
            result = _paragraph_module.cjkFragSplit(frags, widths, False)
        if self.style.alignment == TA_JUSTIFY and getattr(result, "kind", 0) == 1:
            for line in result.lines:
                # each character a "word": the justifier then spreads between characters
                line.wordCount = max(1, sum(len(getattr(w, "text", "")) for w in line.words))
        return result

    def beginText(self, x, y):  # noqa: N802
        text = FauxBoldText(self.canv, x, y)
        # the canvas fill was set to the first run's colour before this; match the stroke
        text.setStrokeColor(self.style.textColor)
        return text
