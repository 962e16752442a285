"""Recognising a published report and rebuilding its tables 二, 三, 四 (识别与表格重建).

From a `Layout`: the title, organisation and year; the six section headings (and how each is numbered); the
format, by which format's own labels the report prints; then every row of tables 二, 三, 四, matched by its
printed label (the format's labels and their published variants, then by closeness, since reports misprint
labels) and read cell by cell. A cell keeps what it printed: a number, a placeholder (blank, "/", "—", "无"),
or, when figures ran together and could not be cut one way only, an ambiguous run.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from difflib import SequenceMatcher
from functools import cache
from typing import Literal

from gongkai.core.cnnum import parse_chinese_integer
from gongkai.reports.document import Value
from gongkai.reports.spec import Block, ReportFormat, Row, Section, available_editions, load_format

from .layout import NUMBER_TOKEN, Layout, Line, fold
from .split import RowIdentity, split_runs

CellStatus = Literal["number", "placeholder", "ambiguous", "invalid"]


@dataclass(frozen=True)
class Cell:
    """One table cell as printed: ``raw`` text, and ``value`` when it is a number of the column's type."""

    raw: str
    status: CellStatus
    value: Value | None = None
    split: bool = False  # cut out of a run of figures printed together


@dataclass
class RowRead:
    key: str
    label: str  # as printed
    cells: dict[str, Cell]
    line: int
    ambiguous: str | None = None  # the printed run when the row could not be cut one way only


@dataclass
class TableRead:
    key: str
    rows: dict[str, RowRead] = field(default_factory=dict)
    too_many: list[RowRead] = field(default_factory=list)  # rows with more figures than columns


@dataclass(frozen=True)
class SectionRead:
    key: str  # the format's section this heading is (一…六)
    printed: str  # the numeral the report printed
    heading: str
    line: int


@dataclass
class Recognised:
    """What the auditor made of one report."""

    layout: Layout
    format: ReportFormat | None
    format_scores: dict[str, int]
    title: str | None
    organisation: str | None
    year: int | None
    sections: list[SectionRead]
    tables: dict[str, TableRead]
    texts: dict[str, str]
    preamble: str
    collapsed_groups: list[tuple[str, str]] = field(default_factory=list)  # (table, group row) printed as one row
    website_report: bool = False

    def section(self, key: str) -> SectionRead | None:
        return next((s for s in self.sections if s.key == key), None)


# ---- title, organisation, year ----------------------------------------------------------------------------

# Patterns and words matching the text of published reports.
__i18n_exempt__ = ("_CN_YEAR", "_ORG_PREFIXES")

_CN_YEAR = "[〇零一二三四五六七八九]{4}"
_YEAR = rf"(?:(?:19|20)\d{{2}}|{_CN_YEAR})"
_ORG = r"[\u4e00-\u9fff（）()·]{2,40}?"
_TITLE_ORG_FIRST = re.compile(
    rf"(?P<org>{_ORG})(?:关于)?(?P<year>{_YEAR})年度?(?:的)?政府信息公开(?:工作)?(?:年度)?(?:情况)?(?:报告|年报)"
)
_TITLE_YEAR_FIRST = re.compile(
    rf"(?P<year>{_YEAR})年度?(?P<org>{_ORG})政府信息公开(?:工作)?(?:年度)?(?:情况)?(?:报告|年报)"
)
_PREAMBLE_ORG = re.compile(r"本(?:年度)?报告(?:是)?由(?P<org>[\u4e00-\u9fff（）()]{2,40}?)(?:根据|依据|按照|依照|编制|汇总)")
_PERIOD_YEAR = re.compile(rf"统计(?:期限|时限|时间|区间)?[^。]{{0,12}}?(?P<year>{_YEAR})\s*年\s*1\s*月\s*1\s*日")
_WEBSITE_REPORT = re.compile(r"政府网站(?:工作)?年度报表|政府网站监管年度报表")
_ORG_PREFIXES = ("关于", "中共", "附件")


def _year_number(text: str) -> int:
    return int(text) if text.isdigit() else parse_chinese_integer(text)


def _clean_org(org: str) -> str:
    for prefix in _ORG_PREFIXES:
        if org.startswith(prefix) and len(org) > len(prefix) + 1:
            org = org[len(prefix) :]
    return org.rstrip("的")


def recognise_title(lines: list[Line]) -> tuple[str | None, str | None, int | None, bool]:
    """(title, organisation, year, is a website annual report) from the first lines and the preamble."""
    heads = [re.sub(r"\s+", "", ln.text) for ln in lines[:15]]
    website = bool(_WEBSITE_REPORT.search("".join(heads)))
    title = org = None
    year: int | None = None
    # A title is one line, or two when the organisation stands above "20XX年政府信息公开工作年度报告";
    # never the joined head of a page, whose navigation would run into the name.
    candidates = [text for i, line in enumerate(heads) for text in (line, heads[i - 1] + line if i else "") if text]
    for text in candidates:
        for pattern in (_TITLE_ORG_FIRST, _TITLE_YEAR_FIRST):
            m = pattern.search(text)
            if m and len(_clean_org(m.group("org"))) >= 2:
                title, org, year = m.group(0), _clean_org(m.group("org")), _year_number(m.group("year"))
                break
        if title:
            break
    body = "".join(re.sub(r"\s+", "", ln.text) for ln in lines[:40])
    if org is None:
        m = _PREAMBLE_ORG.search(body)
        if m:
            org = _clean_org(m.group("org"))
    if year is None:
        m = _PERIOD_YEAR.search(body)
        if m:
            year = _year_number(m.group("year"))
    return title, org, year, website


# ---- section headings -------------------------------------------------------------------------------------

_HEADING = re.compile(r"^\s*(?P<num>[一二三四五六七八九十]{1,3})\s*[、.．，,]\s*(?P<text>\S.*)$")
_HEADING_MIN_RATIO = 0.72


def _similar(a: str, b: str) -> float:
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _heading_score(fmt: ReportFormat, section: Section, text: str) -> float:
    rules = fmt.label_rules
    key = rules.key(text)
    best = 0.0
    for heading in (section.heading, *section.variants):
        wanted = rules.key(heading)
        if not wanted:
            continue
        if key.startswith(wanted):
            return 1.0
    for heading in (section.heading, *section.variants):
        wanted = rules.key(heading)
        if not wanted:
            continue
        head = key[: len(wanted) + 2]
        best = max(best, _similar(head, wanted), _similar(key[: len(wanted)], wanted))
    return best


def find_sections(fmt: ReportFormat, lines: list[Line]) -> list[SectionRead]:
    """Headings "一、总体情况" … "六、其他需要报告的事项" in order, each matched to the format's section it names
    (by its words, not its numeral, so a misnumbered heading is still found)."""
    found: list[SectionRead] = []
    taken: set[str] = set()
    for index, line in enumerate(lines):
        if line.is_row:
            continue
        m = _HEADING.match(line.text)
        if not m:
            continue
        text = m.group("text")
        if re.search(r"\d+\s*(?:件|条|个)?\s*$", text) and len(text) > 30:
            continue
        best: tuple[float, Section | None] = (0.0, None)
        for section in fmt.sections:
            if section.key in taken:
                continue
            score = _heading_score(fmt, section, text)
            if score > best[0]:
                best = (score, section)
        if best[1] is not None and best[0] >= _HEADING_MIN_RATIO:
            found.append(SectionRead(best[1].key, m.group("num"), text.strip(), index))
            taken.add(best[1].key)
    return found


# ---- the format, from the labels a report prints ----------------------------------------------------------


def _labels_of(fmt: ReportFormat) -> set[str]:
    rules = fmt.label_rules
    labels: set[str] = set()
    for table in fmt.tables.values():
        for block in table.blocks:
            if block.heading:
                labels.add(rules.key(block.heading))
            for col in block.leaf_columns:
                labels.update(rules.key(x) for x in (col.label,))
            for row in block.all_rows():
                if not row.is_group or row.children:
                    labels.add(rules.key(row.label, strip_enumerator=True))
    return {x for x in labels if len(x) >= 3}


@cache
def distinctive_labels() -> dict[str, set[str]]:
    """For each edition, the labels it prints that no other edition prints (本年制发件数, 政府集中采购 …)."""
    editions = {e: _labels_of(load_format(e)) for e in available_editions()}
    return {
        e: {x for x in labels if not any(x in other for o, other in editions.items() if o != e)}
        for e, labels in editions.items()
    }


def score_formats(lines: list[Line]) -> dict[str, int]:
    """How many of each edition's own labels the report prints."""
    distinct = distinctive_labels()
    rules = load_format(available_editions()[-1]).label_rules
    joined = "\n".join(rules.key(ln.text) for ln in lines)
    return {e: sum(1 for label in labels if label in joined) for e, labels in distinct.items()}


# ---- cells ------------------------------------------------------------------------------------------------

_UNIT_SUFFIX = re.compile(r"(?:件|个|条|项|次|万元|元)$")
_SIGNED_WORD = re.compile(r"^(?P<sign>增加?|减少?)(?P<num>\d+)$")


def parse_cell(raw: str, cell_type: str, placeholders: tuple[str, ...]) -> Cell:
    """A printed cell read as the column's type (integer, signed_integer, decimal) or as a placeholder."""
    text = fold(raw).strip()
    squeezed = re.sub(r"\s+", "", text).replace(",", "")
    if squeezed in placeholders or text in placeholders:
        return Cell(raw=raw.strip(), status="placeholder")
    squeezed = _UNIT_SUFFIX.sub("", squeezed)
    word = _SIGNED_WORD.match(squeezed)
    if word:
        squeezed = ("-" if word.group("sign").startswith("减") else "") + word.group("num")
    if cell_type == "decimal":
        try:
            value = Decimal(squeezed)
        except InvalidOperation:
            return Cell(raw=raw.strip(), status="invalid")
        if not value.is_finite() or value < 0:
            return Cell(raw=raw.strip(), status="invalid")
        return Cell(raw=raw.strip(), status="number", value=int(value) if value == value.to_integral_value() and "." not in squeezed else value)
    pattern = r"[+-]?\d+" if cell_type == "signed_integer" else r"\+?\d+"
    if re.fullmatch(pattern, squeezed):
        return Cell(raw=raw.strip(), status="number", value=int(squeezed))
    return Cell(raw=raw.strip(), status="invalid")


def is_value_token(token: str, placeholders: tuple[str, ...]) -> bool:
    folded = fold(token).replace(",", "")
    return bool(NUMBER_TOKEN.match(folded)) or folded in placeholders or bool(_SIGNED_WORD.match(folded))


# ---- rows -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Candidate:
    row: Row
    block: Block
    order: int
    full: tuple[str, ...]  # label keys with enumerators
    core: tuple[str, ...]  # without


def _candidates(fmt: ReportFormat, table_key: str) -> list[_Candidate]:
    if load_format(fmt.edition) is fmt:
        return _shipped_candidates(fmt.edition, table_key)
    return _make_candidates(fmt, table_key)


@cache
def _shipped_candidates(edition: str, table_key: str) -> list[_Candidate]:
    return _make_candidates(load_format(edition), table_key)


def _make_candidates(fmt: ReportFormat, table_key: str) -> list[_Candidate]:
    rules = fmt.label_rules
    out = []
    order = 0
    for block in fmt.table(table_key).blocks:
        for row in block.all_rows():
            labels = (row.label, *row.variants)
            out.append(
                _Candidate(
                    row=row, block=block, order=order,
                    full=tuple(rules.key(x) for x in labels),
                    core=tuple(k for k in (rules.key(x, strip_enumerator=True) for x in labels) if k),
                )
            )
            order += 1
    return out


def _match_score(candidate: _Candidate, full_key: str, core_key: str, *, fuzzy: bool = False) -> float:
    """3.x: the row's full label ends the printed one; 2.x: its words end it; 1.x: its words are in it;
    with ``fuzzy``, below 1: closeness of the printed label's end to the row's words (for misprints).
    The fraction prefers longer labels."""
    best = 0.0
    for full in candidate.full:
        if full and full_key.endswith(full):
            best = max(best, 3 + len(full) / 1000)
    for core in candidate.core:
        if core_key.endswith(core):
            best = max(best, 2 + len(core) / 1000)
        elif core in core_key and len(core) >= 0.6 * len(core_key):
            best = max(best, 1 + len(core) / 1000)
    if best or not fuzzy:
        return best
    for core in candidate.core:
        if abs(len(core_key) - len(core)) <= max(6, len(core) // 2):
            tail = core_key[-len(core) - 2 :]
            best = max(best, _similar(tail, core), _similar(core_key, core))
    return best


_MIN_FUZZY = 0.74


def _row_identities(fmt: ReportFormat, table_key: str, row_key: str, columns: list[str]) -> list[RowIdentity]:
    out = []
    for ident in fmt.identities:
        if ident.table != table_key or ident.for_each != "row":
            continue
        if ident.only and row_key not in ident.only:
            continue
        if all(k in columns for k in (*ident.lhs, *ident.rhs)):
            out.append(
                RowIdentity(tuple(columns.index(k) for k in ident.lhs), tuple(columns.index(k) for k in ident.rhs))
            )
    return out


_GLUED = re.compile(r"^(?P<label>.*[\u4e00-\u9fff）)”\"])(?P<figures>\d+(?:\.\d+)?)$")


def _value_tokens(line: Line, n_cells: int, placeholders: tuple[str, ...]) -> tuple[str, list[str], bool]:
    """(label, value tokens, structured) of a line: a row's trailing cells, or a text line's trailing figures.
    ``structured`` tells that blanks are real cells (a table row from markup or ruling lines)."""
    if line.cells is not None:
        cells = list(line.cells)
        j = len(cells)
        while j > 0 and (not cells[j - 1].strip() or all(
            is_value_token(t, placeholders) for t in cells[j - 1].split()
        )):
            j -= 1
        label = " ".join(c for c in cells[:j] if c)
        values = cells[j:]
        if len(values) > n_cells:
            # Blank cells beside a label that spans columns in a tab-separated text are not figures.
            while len(values) > n_cells and not values[0].strip():
                values = values[1:]
            while len(values) > n_cells and not values[-1].strip():
                values = values[:-1]
        tokens: list[str] = []
        for value in values:
            parts = value.split()
            tokens.extend(parts if len(parts) > 1 else [value.strip()])
        return label, tokens, True
    words = line.text.split()
    j = len(words)
    while j > 0 and is_value_token(words[j - 1], placeholders):
        j -= 1
    values = words[j:]
    if j > 0:
        # A text layer may glue the first figures to the label ("规章000"); "1.属于…" keeps its enumerator.
        glued = _GLUED.match(words[j - 1])
        if glued:
            words[j - 1] = glued.group("label")
            values = [glued.group("figures"), *values]
    return " ".join(words[:j]), values, False


def rebuild_table(
    fmt: ReportFormat, table_key: str, lines: list[Line], first_index: int = 0
) -> tuple[TableRead, list[tuple[str, RowRead]]]:
    """Rows of one table found in `lines` (a section's lines). Returns the table and the group rows that
    were printed with figures of their own (subtotals), as (group key, row)."""
    table = fmt.table(table_key)
    rules = fmt.label_rules
    placeholders = fmt.placeholders
    candidates = _candidates(fmt, table_key)
    result = TableRead(key=table_key)
    groups: list[tuple[str, RowRead]] = []
    pending: list[str] = []
    unlabelled_block = next((b for b in table.blocks if not b.show_row_labels), None)
    header_keys = (
        {rules.key(c.label) for c in unlabelled_block.leaf_columns if len(rules.key(c.label)) >= 3}
        if unlabelled_block is not None
        else set()
    )
    header_seen = False
    last_order = -1
    for offset, line in enumerate(lines):
        index = first_index + offset
        widest = max(len(b.leaf_columns) for b in table.blocks)
        label, tokens, structured = _value_tokens(line, widest, placeholders)
        if not tokens or not any(t.strip() for t in tokens):
            if label:
                pending = [*pending[-2:], label]
                header_seen = header_seen or any(h in rules.key(label) for h in header_keys)
            continue
        label_text = label
        full_key = rules.key(label_text)
        core_key = rules.key(label_text, strip_enumerator=True)
        if not core_key and pending:
            label_text = "".join(pending)
            full_key, core_key = rules.key(label_text), rules.key(label_text, strip_enumerator=True)
        open_candidates = [
            c for c in candidates
            if c.block.show_row_labels and (c.row.key not in result.rows or result.rows[c.row.key].ambiguous)
        ]
        joined = "".join([*pending, label]) if pending and label_text == label else ""
        scored = []
        for fuzzy in (False, True):  # exact matches first; closeness only for a misprinted label
            for cand in open_candidates:
                score = _match_score(cand, full_key, core_key, fuzzy=fuzzy) if core_key else 0.0
                if score < 1 and joined:
                    score = max(score, _match_score(
                        cand, rules.key(joined), rules.key(joined, strip_enumerator=True), fuzzy=fuzzy
                    ))
                if score >= 1 or score >= _MIN_FUZZY:
                    scored.append((score, -abs(cand.order - last_order - 1), cand))
            if scored:
                break
        pending = []
        chosen: _Candidate | None = None
        if scored:
            chosen = max(scored, key=lambda s: (s[0], s[1]))[2]
        elif (
            unlabelled_block is not None
            and unlabelled_block.data_rows[0].key not in result.rows
            and header_seen
            and _enough_figures(tokens, len(unlabelled_block.leaf_columns))
        ):
            # A table without row labels (表四): its one row of figures, under its own header.
            unlabelled_row = unlabelled_block.data_rows[0]
            chosen = next(c for c in candidates if c.row.key == unlabelled_row.key)
        if chosen is None:
            continue
        columns = [c.key for c in chosen.block.leaf_columns if c.key]
        if not structured and not _enough_figures(tokens, len(columns)):
            continue  # a sentence that ends in a figure ("…予以公开2"), not a row of the table
        row_read = _read_row(fmt, table_key, chosen.row, columns, chosen.block, tokens, structured, label, index)
        if row_read.ambiguous is not None and chosen.row.key in result.rows:
            continue  # a second unreadable version of a row keeps the first
        if row_read.ambiguous is not None and len(row_read.ambiguous.split()) > len(columns):
            result.too_many.append(row_read)
        elif chosen.row.is_group:
            groups.append((chosen.row.key, row_read))
        else:
            result.rows[chosen.row.key] = row_read
        last_order = chosen.order
    return result, groups


def _enough_figures(tokens: list[str], n_cells: int) -> bool:
    """Whether the printed figures could fill `n_cells` cells (a run of digits may fill several)."""
    present = [t for t in tokens if t.strip()]
    return 0 < len(present) <= n_cells <= sum(len(t) if t.isdigit() else 1 for t in present)


def _read_row(
    fmt: ReportFormat,
    table_key: str,
    row: Row,
    columns: list[str],
    block: Block,
    tokens: list[str],
    structured: bool,
    label: str,
    index: int,
) -> RowRead:
    types = {c.key: c.type for c in block.leaf_columns if c.key}
    placeholders = fmt.placeholders
    read = RowRead(key=row.key, label=label, cells={}, line=index)
    if structured and len(tokens) == len(columns):
        cells = tokens
        was_split = False
    else:
        present = [t for t in tokens if t.strip()]
        if len(present) > len(columns):
            read.ambiguous = " ".join(present)
            return read
        outcome = split_runs(present, len(columns), _row_identities(fmt, table_key, row.key, columns))
        if outcome.cells is None:
            read.ambiguous = " ".join(present)
            return read
        cells = list(outcome.cells)
        was_split = len(present) != len(columns)
    for key, raw in zip(columns, cells, strict=True):
        cell = parse_cell(raw, types[key], placeholders)
        if was_split and cell.status == "number":
            cell = Cell(raw=cell.raw, status="number", value=cell.value, split=True)
        read.cells[key] = cell
    return read


# ---- the whole report -------------------------------------------------------------------------------------


def _region(sections: list[SectionRead], fmt: ReportFormat, key: str, n_lines: int) -> tuple[int, int]:
    """The lines of a section: after its heading up to the next heading found; for a section whose heading
    is missing, the lines between the headings of its neighbours."""
    order = [s.key for s in fmt.sections]
    found = {s.key: s for s in sections}
    starts = sorted(s.line for s in sections)
    if key in found:
        start = found[key].line + 1
        end = next((x for x in starts if x > found[key].line), n_lines)
        return start, end
    before = [found[k].line for k in order[: order.index(key)] if k in found]
    after = [found[k].line for k in order[order.index(key) + 1 :] if k in found]
    start = max(before) + 1 if before else 0
    end = min(after) if after else n_lines
    return start, max(start, end)


def _prose(lines: list[Line], used: set[int], start: int, end: int) -> str:
    return "\n".join(ln.text for i, ln in enumerate(lines[start:end], start=start) if i not in used and not ln.is_row)


def choose_format(scores: dict[str, int], year: int | None) -> ReportFormat | None:
    """The edition the report prints (most of its own labels); on a tie, the one in force for its year."""
    if not scores or max(scores.values()) == 0:
        if year is None:
            return None
        try:
            from gongkai.reports.spec import format_for_year

            return format_for_year(year)
        except KeyError:
            return None
    top = max(scores.values())
    leaders = [e for e, s in scores.items() if s == top]
    if len(leaders) > 1 and year is not None:
        for edition in leaders:
            if load_format(edition).applies_to(year):
                return load_format(edition)
    return load_format(sorted(leaders)[-1])


def recognise(layout: Layout) -> Recognised:
    lines = layout.lines
    title, organisation, year, website = recognise_title(lines)
    scores = score_formats(lines)
    fmt = choose_format(scores, year)
    recognised = Recognised(
        layout=layout, format=fmt, format_scores=scores, title=title, organisation=organisation, year=year,
        sections=[], tables={}, texts={}, preamble="", website_report=website,
    )
    if fmt is None:
        return recognised
    sections = find_sections(fmt, lines)
    recognised.sections = sections
    first_heading = min((s.line for s in sections), default=len(lines))
    recognised.preamble = "\n".join(ln.text for ln in lines[:first_heading] if not ln.is_row)
    used: set[int] = set()
    for section in fmt.sections:
        start, end = _region(sections, fmt, section.key, len(lines))
        if section.kind == "table" and section.table:
            table, groups = rebuild_table(fmt, section.table, lines[start:end], start)
            _resolve_groups(fmt, recognised, table, groups)
            if table.rows or table.too_many:
                recognised.tables[section.table] = table
            used.update(r.line for r in table.rows.values())
            used.update(r.line for _k, r in groups)
        recognised.texts[section.key] = _prose(lines, used, start, end) if section.key in {
            s.key for s in sections
        } or section.kind == "prose" else ""
    return recognised


def _resolve_groups(fmt: ReportFormat, recognised: Recognised, table: TableRead, groups: list[tuple[str, RowRead]]) -> None:
    """A group row printed with figures: a subtotal beside its parts, or (its parts absent) the parts
    collapsed into one row, as the 2019 format's single （六）其他处理 row. Collapsed zeros mean each part is
    zero (figures are never negative); otherwise the parts stay unknown."""
    spec_table = fmt.table(table.key)
    for group_key, row in groups:
        children = [r.key for r in spec_table.row(group_key).leaves()]
        if any(c in table.rows for c in children):
            table.rows[group_key] = row  # a printed subtotal, checked against its parts
            continue
        recognised.collapsed_groups.append((table.key, group_key))
        table.rows[group_key] = row
        if row.cells and all(c.status == "number" and c.value == 0 for c in row.cells.values()):
            for child in children:
                table.rows[child] = RowRead(key=child, label=row.label, cells=dict(row.cells), line=row.line)

