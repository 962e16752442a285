"""Differences between two versions of what is published (修订对比), word by word.

Chinese has no spaces between words, so a character diff shows noise (one changed word lights up as scattered
characters) and a line diff shows too little. Texts are cut into words with the search index's segmenter
(`search.text.words`, rjieba with jieba's dictionary) and the word sequences compared with difflib. Pure
functions: the views pass plain values and templates print the pieces (`<del>`/`<ins>`, no styles inline).
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

from gongkai.search.text import words

# Past this many words on either side the comparison falls back to lines, so a very long body stays quick.
MAX_WORDS = 20_000


@dataclass(frozen=True)
class Piece:
    """A run of text that is the same in both versions ("equal"), only in the old ("delete") or only in the new
    ("insert")."""

    op: str
    text: str


@dataclass(frozen=True)
class FieldChange:
    """One field that differs between the live version and the one under review."""

    label: str
    old: str
    new: str
    pieces: tuple[Piece, ...]


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _compare(a: Sequence[str], b: Sequence[str]) -> list[Piece]:
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece("equal", "".join(a[i1:i2])))
        else:
            # A replacement reads best as the old words struck out, then the new ones.
            pieces.append(Piece("delete", "".join(a[i1:i2])))
            pieces.append(Piece("insert", "".join(b[j1:j2])))
    return _merge(pieces)


def word_diff(old: str, new: str) -> list[Piece]:
    """`old` → `new` as pieces; joining the equal and deleted pieces gives `old`, the equal and inserted `new`."""
    old, new = old or "", new or ""
    a, b = words(old), words(new)
    if len(a) > MAX_WORDS or len(b) > MAX_WORDS:
        a, b = old.splitlines(keepends=True), new.splitlines(keepends=True)
    return _compare(a, b)


def field_changes(old: Sequence[tuple[str, str, str]], new: Sequence[tuple[str, str, str]]) -> list[FieldChange]:
    """The fields whose displayed value differs, given (name, label, value) of each version in the same order."""
    before = {name: value for name, _label, value in old}
    changes = []
    for name, label, value in new:
        previous = before.get(name, "")
        if previous != value:
            changes.append(FieldChange(label, previous, value, tuple(word_diff(previous, value))))
    return changes
