"""What a results page shows of each hit: its title with the query's matches marked, and a snippet of its text.

Done in Python for the hits of one page only (the back ends' highlight functions ran over every candidate's
text and knew nothing of n-grams). Titles are marked in their original spelling: matching happens on the
normalised text (half-width, lower case), and each match is mapped back to the characters it came from.
"""

from __future__ import annotations

from . import analysis as T

SNIPPET_CHARS = 110
_LEAD = 24  # characters shown before the first match in a snippet


def needles(query: T.Query) -> list[str]:
    """What to mark, longest first: the phrases, the runs as typed, the words and their sub-words."""
    found: dict[str, None] = {}
    for phrase in query.phrases:
        found[phrase] = None
    for run in query.runs:
        found[run] = None
    for term in query.terms:
        found[term.word] = None
        found.update(dict.fromkeys(term.alternatives))
    return sorted((n for n in found if n.strip()), key=len, reverse=True)


def _spans(haystack: str, wanted: list[str], start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Where the needles occur in haystack[start:end], as merged (start, end) pairs."""
    end = len(haystack) if end is None else end
    spans = []
    for needle in wanted:
        at = haystack.find(needle, start, end)
        while at != -1:
            spans.append((at, at + len(needle)))
            at = haystack.find(needle, at + len(needle), end)
    spans.sort()
    merged: list[tuple[int, int]] = []
    for s, e in spans:
        if merged and s <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], e))
        else:
            merged.append((s, e))
    return merged


def _marked(text: str, spans: list[tuple[int, int]]) -> str:
    out, last = [], 0
    for s, e in spans:
        out += [text[last:s], T.MARK_START, text[s:e], T.MARK_END]
        last = e
    out.append(text[last:])
    return "".join(out)


def mark_original(text: str, wanted: list[str]) -> str:
    """`text` as written, with MARK_START/MARK_END around what matches a needle once normalised."""
    folded = T.normalise(text)
    if len(folded) == len(text):  # character for character (full-width letters, case): the usual title
        return _marked(text, _spans(folded, wanted))
    pieces: list[str] = []
    origin: list[int] = []  # for each normalised character, the index of the original one it came from
    for i, ch in enumerate(text):
        piece = T.normalise(ch)
        pieces.append(piece)
        origin.extend([i] * len(piece))
    mapped: list[tuple[int, int]] = []
    for s, e in _spans("".join(pieces), wanted):
        start, end = origin[s], origin[e - 1] + 1
        if mapped and start < mapped[-1][1]:  # two matches inside one character that folds to several
            mapped[-1] = (mapped[-1][0], max(mapped[-1][1], end))
        else:
            mapped.append((start, end))
    return _marked(text, mapped)


def snippet(indexed: str, wanted: list[str]) -> str:
    """About SNIPPET_CHARS of an indexed text (normalised, as stored), around the stretch with the most
    different needles, with them marked; empty when none occurs."""
    text = T.display(indexed)
    spans = _spans(text, wanted)
    if not spans:
        return ""
    best, best_count = spans[0][0], 0
    for s, _ in spans:
        window = text[s:s + SNIPPET_CHARS - _LEAD]
        count = sum(1 for n in wanted if n in window)
        if count > best_count:
            best, best_count = s, count
    start = max(0, best - _LEAD)
    end = min(len(text), start + SNIPPET_CHARS)
    inside = [(max(s, start), min(e, end)) for s, e in spans if e > start and s < end]
    shown = _marked(text[start:end], [(s - start, e - start) for s, e in inside]).strip()
    return ("…" if start > 0 else "") + shown + ("…" if end < len(text) else "")


def preview(indexed: str) -> str:
    """The beginning of an indexed text, when nothing in it matches."""
    text = T.display(indexed).strip()
    return text[:SNIPPET_CHARS] + ("…" if len(text) > SNIPPET_CHARS else "")
