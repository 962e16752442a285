"""What every reader produces: the report as lines of text, table rows keeping their cells.

A reader turns a published report (text, HTML, DOCX, PDF) into a `Layout`: the lines in reading order. A line
that was a table row in the source keeps its cells as printed (``cells``: one string per cell, "" for an
empty one); a line of plain text has ``cells`` None, and whatever separated its figures (spaces, or nothing at
all when a text layer ran them together) is left to the table rebuilder.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field


class ReadError(Exception):
    """The source cannot be read as a document (broken, encrypted, no text, too large): ``message`` says why,
    in Chinese, for the finding."""

    def __init__(self, message: str, *, kind: str = "unreadable") -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind


@dataclass(frozen=True)
class Line:
    """One line of the report; ``cells`` are a table row's cells when the source had them."""

    text: str
    cells: tuple[str, ...] | None = None
    page: int | None = None

    @property
    def is_row(self) -> bool:
        return self.cells is not None


@dataclass
class Layout:
    """A report as read: its lines, what kind of input it was, and the reader's notes (pages without text…)."""

    kind: str
    lines: list[Line] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    pages: int | None = None

    def add_text(self, text: str, page: int | None = None) -> None:
        for raw in text.splitlines():
            cleaned = clean_text(raw)
            if cleaned.strip():
                self.lines.append(Line(cleaned.strip(), page=page))

    def add_row(self, cells: list[str], page: int | None = None) -> None:
        cleaned = tuple(clean_text(c).strip() for c in cells)
        if any(cleaned):
            self.lines.append(Line(" ".join(c for c in cleaned if c), cells=cleaned, page=page))

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


_INVISIBLE = dict.fromkeys(
    [0x00AD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, *range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F],
)


def clean_text(text: str) -> str:
    """Text with invisible characters dropped and non-breaking or ideographic spaces made plain spaces."""
    text = text.translate(_INVISIBLE)
    return text.replace("\u00a0", " ").replace("\u3000", " ").replace("\u2002", " ").replace("\u2003", " ")


def fold(text: str) -> str:
    """Full-width letters, digits and punctuation folded to their plain forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


NUMBER_TOKEN = re.compile(r"^[+-]?\d+(?:\.\d+)?$")
