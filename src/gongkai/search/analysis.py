"""Chinese text for the index: normalisation, word segmentation, document numbers, and query parsing.

Pure functions, the same at index time and at query time. Segmentation is rjieba (jieba's dictionary and
algorithm in Rust): on the same input it gives the very tokens jieba gives without HMM, about 40 times
faster (bench/search/segmenters.py, docs/benchmarks.md). HMM is off on purpose: its guesses at unknown
words depend on the surrounding text, so a word could be cut one way in a document and another in a query.

An indexed text is its precise-mode tokens joined by SEP (a zero-width space, which both SQLite's unicode61
tokenizer and PostgreSQL's parser treat as a separator and which disappears on display), so snippets can be
shown as the original text. The extra sub-words of search mode (高新技术 → 高新, 技术) are indexed apart, so
that a query for 技术 finds 高新技术企业 without cluttering snippets.

Beside the words, every text is also indexed as character n-grams (`grams`): each letter or digit and each
pair of neighbouring ones within a run of letters and digits. A query that cuts through a segmented word
(学技术局 inside 科学技术局, 新券 inside 创新券) finds its documents through them: a run of the query matches
where all its pairs are present, a single character where it is. Whole-word matches rank above them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

import rjieba

SEP = "\u200b"
MARK_START, MARK_END = "\ue000", "\ue001"
MAX_QUERY_CHARS = 200
MAX_TERMS = 16
# A token worth indexing holds a letter or a digit (CJK ideographs are letters); punctuation and spaces are
# kept in the displayed text but never become terms.
_WORDY = re.compile(r"\w", re.UNICODE)
_TERM_CHARS = re.compile(r"[^\w]+", re.UNICODE)

# 文号: issuer prefix, year in some bracket (〔〕 [] 【】 () （） ［］ or none), serial, 号.
_DOCNO = re.compile(r"^(?P<prefix>[^\d\s]{1,20}?)[\[〔【(（［{]?(?P<year>(?:19|20)\d\d)[\]〕】)）］}]?年?第?(?P<serial>\d{1,6})号$")


# Full-width ASCII and the ideographic space, NFKC's commonest work on Chinese text, done by a fast table.
_FULL_WIDTH = {0xFF01 + i: 0x21 + i for i in range(0x5E)} | {0x3000: 0x20}


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width) and lower case: how text is compared."""
    # The two private-use characters mark highlights in snippets; they never come from the text itself.
    text = (text or "").translate(_FULL_WIDTH)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    text = text.lower()
    if MARK_START in text or MARK_END in text or "\x00" in text:  # NUL: PostgreSQL refuses it in text
        text = text.replace(MARK_START, "").replace(MARK_END, "").replace("\x00", "")
    return text


# A run of letters and digits: what n-grams and query fragments are made of (the underscore is \w but a
# separator for both full-text engines).
_RUN = re.compile(r"[^\W_]+", re.UNICODE)


def runs(normalised: str) -> list[str]:
    """The runs of letters and digits of a normalised text, in order."""
    return _RUN.findall(normalised)


def grams(normalised: str) -> set[str]:
    """Every letter or digit of a normalised text, and every pair of neighbouring ones within a run."""
    out: set[str] = set()
    for run in _RUN.findall(normalised):
        out.update(run)
        out.update(map(str.__add__, run, run[1:]))
    return out


def run_grams(run: str) -> tuple[str, ...]:
    """What a query run must find among a document's grams: its pairs, or itself when it is one character."""
    if len(run) == 1:
        return (run,)
    return tuple(dict.fromkeys(map(str.__add__, run, run[1:])))


def grams_text(*gram_sets: set[str] | frozenset[str]) -> str:
    """The grams of a document as stored for the index: distinct, space-separated, in no particular order (the
    index keeps no positions, so deleting a document from SQLite's contentless table needs the same grams, not
    the same order; sorting them cost more than computing them). Being letters and digits only, the text is
    also PostgreSQL's input form of a tsvector of them."""
    return " ".join(set().union(*gram_sets))


def segment(text: str) -> list[str]:
    """Precise-mode tokens of normalised `text`, punctuation and spaces included (their concatenation is it)."""
    return rjieba.cut(normalise(text), False)


def words(text: str) -> list[str]:
    """`text` cut into words as written (no normalisation): for showing text word by word, as in the review's
    differences between versions. Their concatenation is `text`."""
    return rjieba.cut(text or "", False)


@lru_cache(maxsize=200_000)
def subwords(word: str) -> tuple[str, ...]:
    """The dictionary words inside a longer word (search mode's extras), e.g. 高新技术 → 高新, 技术."""
    if len(word) <= 2:
        return ()
    return tuple(w for w in rjieba.cut_for_search(word, False) if w != word)


def index_text(text: str) -> str:
    """The text as stored for the index and for snippets: tokens separated by SEP."""
    return SEP.join(segment(text))


def extra_of_tokens(tokens: list[str]) -> list[str]:
    out: list[str] = []
    for token in tokens:
        if len(token) > 2 and _WORDY.search(token):
            out.extend(subwords(token))
    return out


def extra_text(*texts: str) -> str:
    """The sub-words of every long word in `texts`, separated by spaces (indexed, never displayed)."""
    return " ".join(w for text in texts for w in extra_of_tokens(segment(text)))


def index_and_extra(text: str) -> tuple[str, list[str]]:
    """index_text(text) and the sub-words of its long words, segmenting once."""
    tokens = segment(text)
    return SEP.join(tokens), extra_of_tokens(tokens)


@dataclass(frozen=True)
class Segmented:
    """A text as the index needs it: its index text, the sub-words of its long words, the 文号 it cites and
    its character n-grams."""

    index: str
    extra: tuple[str, ...] = ()
    cited: tuple[str, ...] = ()
    grams: frozenset[str] = frozenset()


def segmented(text: str, *, with_grams: bool = True) -> Segmented:
    """`text` as the index needs it; without its n-grams when the caller has them already."""
    tokens = segment(text)
    index = SEP.join(tokens)
    return Segmented(index, tuple(extra_of_tokens(tokens)), tuple(document_numbers_in(text)),
                     frozenset(grams(display(index))) if with_grams else frozenset())


def display(indexed: str) -> str:
    return indexed.replace(SEP, "")


def document_number_key(value: str) -> str:
    """One exact token for a 文号, the same whatever brackets and spaces were typed: 银科发〔2019〕10号,
    银科发[2019]10号 and 银科发〔2019〕10 号 all give the same key. Empty when there is no number."""
    compact = "".join(normalise(value).split())
    if not compact:
        return ""
    match = _DOCNO.match(compact)
    core = f"{match['prefix']}{match['year']}n{int(match['serial'])}" if match else compact
    core = _TERM_CHARS.sub("", core)
    if not core:
        return ""
    # Hex keeps the key one token for any tokenizer (unicode61, PostgreSQL's parser), whatever the script.
    return "dn" + core.encode().hex()


_DOCNO_TAIL_IN_TEXT = re.compile(r"\s*[\[〔【(（［]\s*(?:19|20)\d\d\s*[\]〕】)）］]\s*第?\s*\d{1,6}\s*号")
_HAN_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,12}$")


def document_numbers_in(text: str) -> list[str]:
    """Keys of the 文号 cited in a text (根据银科发〔2019〕10号文件 …), so a search for one finds its citers."""
    keys: list[str] = []
    if "号" not in text:
        return keys
    text = normalise(text)
    for tail in _DOCNO_TAIL_IN_TEXT.finditer(text):
        head = _HAN_BEFORE.search(text, max(0, tail.start() - 12), tail.start())
        if head is None:
            continue
        # A cited number starts after the verb that cites it (根据、按照、依据): try shorter prefixes too.
        found = head.group(0) + tail.group(0)
        for start in range(0, min(len(found), 8)):
            docno = _DOCNO.match("".join(found[start:].split()))
            if docno and len(docno["prefix"]) >= 2:
                keys.append(document_number_key(found[start:]))
    return sorted(set(keys))


def looks_like_document_number(query: str) -> bool:
    return bool(_DOCNO.match("".join(normalise(query).split())))


@dataclass(frozen=True)
class Term:
    """One query word: it matches the word itself or, failing that, all of its sub-words."""

    word: str
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class Query:
    """A parsed search query. A document matches when all `terms` are among its words, or when every run
    (the letters and digits of the unquoted text, as typed) is among its n-grams; each phrase must appear
    verbatim (normalised) in either case."""

    text: str
    terms: tuple[Term, ...] = ()
    phrases: tuple[str, ...] = ()
    runs: tuple[str, ...] = ()
    document_number: str = ""  # the key, when the whole query reads as a 文号
    truncated: bool = False
    notices: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.terms and not self.document_number

    @property
    def phrase_runs(self) -> tuple[str, ...]:
        """The runs of letters and digits inside the phrases."""
        return tuple(dict.fromkeys(r for phrase in self.phrases for r in runs(phrase)))

    @property
    def fragments(self) -> tuple[str, ...]:
        """Every run that must be found as n-grams: the unquoted ones and those of the phrases."""
        return tuple(dict.fromkeys(self.runs + self.phrase_runs))


def _term_word(token: str) -> str:
    """The token without punctuation and spaces; empty unless it holds a letter or a digit. Underscores alone
    are no term: both engines read them as separators, so such a word could never match (and, with nothing
    else in the query, would leave the n-gram expression empty)."""
    word = _TERM_CHARS.sub("", token)
    return word if _RUN.search(word) else ""


def _terms_of(text: str) -> list[Term]:
    terms = []
    for token in segment(text):
        word = _term_word(token)
        if not word:
            continue
        terms.append(Term(word, tuple(sub for sub in map(_term_word, subwords(word)) if sub)))
    return terms


def parse_query(raw: str | None) -> Query:
    """Read what a person typed. Never raises: any text is a query (possibly empty).

    Quoted parts ("..." or “...”) are exact phrases; everything else is words that must all appear.
    Search-engine syntax (*, ^, :, NEAR, parentheses, AND/OR) has no meaning here: it is split off as
    punctuation or searched as a plain word, so nothing typed reaches the database as query syntax.
    """
    # A lone surrogate (no request carries one, Django decodes with replacement, but a caller might) cannot
    # be segmented or stored: it becomes "?" like any other undecodable input.
    raw = (raw or "").encode("utf-8", "replace").decode("utf-8")
    text = " ".join(raw.replace("\x00", " ").split())
    truncated = len(text) > MAX_QUERY_CHARS
    text = text[:MAX_QUERY_CHARS]
    normalised = normalise(text).replace("“", '"').replace("”", '"').replace("＂", '"')
    phrases: list[str] = []
    rest: list[str] = []
    loose: list[str] = []
    for n, part in enumerate(normalised.split('"')):
        if n % 2 == 1 and part.strip():
            phrases.append(part.strip())
        else:
            loose.extend(runs(part))
        rest.append(part)
    docno = ""
    if not phrases and looks_like_document_number(text):
        docno = document_number_key(text)
    terms: list[Term] = []
    seen: set[str] = set()
    for part in rest:
        for term in _terms_of(part):
            if term.word not in seen:
                seen.add(term.word)
                terms.append(term)
    loose = list(dict.fromkeys(loose))
    cut = len(terms) > MAX_TERMS or len(loose) > MAX_TERMS
    return Query(
        text=text, terms=tuple(terms[:MAX_TERMS]), phrases=tuple(phrases[:4]), document_number=docno,
        runs=tuple(loose[:MAX_TERMS]), truncated=truncated or cut,
    )
