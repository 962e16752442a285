"""The statutory annual-report formats (年度报告格式), read from ``formats/*.json``.

One loader that computing, checking, rendering and (later) importing all read. A format is pure data:
its six sections, its tables (blocks, a column tree, a row tree with group rows that carry no cells),
its cell types, its accounting identities (勾稽关系), the facts the prose may state, and its charts.
Adding a format means adding a JSON file here; no code changes.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, cast

CellType = Literal["integer", "signed_integer", "decimal"]
CELL_TYPES: tuple[str, ...] = ("integer", "signed_integer", "decimal")


class FormatSpecError(ValueError):
    """A format file that does not describe a consistent format (格式定义错误)."""


_WS_RE = re.compile(r"\s+")
_QUOTES = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "、": ".", "．": ".", "。": "."})


def normalise_label(label: str) -> str:
    """A label reduced to what matters for matching: width, spacing, quotes and enumerators unified.

    Real reports write "1、" or "1." or "1．", "(一)" or "（一）", break labels over lines and quote
    with straight or curly marks; all of these compare equal after normalisation.
    """
    text = unicodedata.normalize("NFKC", label)
    text = _WS_RE.sub("", text)
    return text.translate(_QUOTES)


@dataclass(frozen=True)
class Column:
    """A column of a table block (表头列); a group column has children and no cells of its own."""

    label: str
    key: str | None = None
    type: CellType = "integer"
    unit: str | None = None
    variants: tuple[str, ...] = ()
    children: tuple[Column, ...] = ()

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    def leaves(self) -> Iterator[Column]:
        if self.children:
            for child in self.children:
                yield from child.leaves()
        else:
            yield self

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)

    def matches(self, label: str) -> bool:
        wanted = normalise_label(label)
        return any(normalise_label(x) == wanted for x in (self.label, *self.variants))


@dataclass(frozen=True)
class Row:
    """A row of a table block (表行); a group row (e.g. （三）不予公开) has children and no cells."""

    key: str
    label: str
    variants: tuple[str, ...] = ()
    children: tuple[Row, ...] = ()

    @property
    def is_group(self) -> bool:
        return bool(self.children)

    def leaves(self) -> Iterator[Row]:
        if self.children:
            for child in self.children:
                yield from child.leaves()
        else:
            yield self

    def walk(self) -> Iterator[Row]:
        yield self
        for child in self.children:
            yield from child.walk()

    def depth(self) -> int:
        return 1 + max((c.depth() for c in self.children), default=0)

    def matches(self, label: str) -> bool:
        wanted = normalise_label(label)
        return any(normalise_label(x) == wanted for x in (self.label, *self.variants))


@dataclass(frozen=True)
class Block:
    """A block of a table: its own header and rows (T2 has one block per 第二十条 item; T3, T4 one each)."""

    key: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    heading: str | None = None
    corner: str | None = None
    show_row_labels: bool = True

    @property
    def leaf_columns(self) -> tuple[Column, ...]:
        return tuple(leaf for col in self.columns for leaf in col.leaves())

    @property
    def data_rows(self) -> tuple[Row, ...]:
        """Rows that carry cells, in printed order."""
        return tuple(leaf for row in self.rows for leaf in row.leaves())

    def all_rows(self) -> Iterator[Row]:
        for row in self.rows:
            yield from row.walk()

    @property
    def header_depth(self) -> int:
        return max(c.depth() for c in self.columns)

    @property
    def label_columns(self) -> int:
        return max(r.depth() for r in self.rows) if self.show_row_labels else 0

    def column(self, key: str) -> Column:
        for col in self.leaf_columns:
            if col.key == key:
                return col
        raise KeyError(key)

    def match_column(self, label: str) -> Column | None:
        return next((c for c in self.leaf_columns if c.matches(label)), None)


@dataclass(frozen=True)
class Table:
    """A statutory table (表二、表三、表四)."""

    key: str
    section: str
    title: str
    blocks: tuple[Block, ...]

    def block_of(self, row_key: str) -> Block:
        for block in self.blocks:
            if any(r.key == row_key for r in block.all_rows()):
                return block
        raise KeyError(row_key)

    @property
    def data_rows(self) -> tuple[Row, ...]:
        return tuple(r for b in self.blocks for r in b.data_rows)

    def row(self, key: str) -> Row:
        for block in self.blocks:
            for row in block.all_rows():
                if row.key == key:
                    return row
        raise KeyError(key)

    def columns_of(self, row_key: str) -> tuple[Column, ...]:
        return self.block_of(row_key).leaf_columns

    def has_cell(self, row_key: str, column_key: str) -> bool:
        try:
            row = self.row(row_key)
            return not row.is_group and any(c.key == column_key for c in self.columns_of(row_key))
        except KeyError:
            return False

    def cell_type(self, row_key: str, column_key: str) -> CellType:
        return self.block_of(row_key).column(column_key).type

    def match_row(self, label: str) -> Row | None:
        """The row a printed label names, tolerating the label variants of real reports."""
        for block in self.blocks:
            for row in block.all_rows():
                if row.matches(label):
                    return row
        return None

    @property
    def width(self) -> int:
        """Columns of the printed grid: row labels plus the widest block's cells."""
        return max(b.label_columns for b in self.blocks) + max(len(b.leaf_columns) for b in self.blocks)


@dataclass(frozen=True)
class Section:
    """One of the six sections (一、总体情况 … 六、其他需要报告的事项)."""

    key: str
    heading: str
    kind: Literal["prose", "table"]
    table: str | None = None
    variants: tuple[str, ...] = ()

    @property
    def numbered_heading(self) -> str:
        return f"{self.key}、{self.heading}"

    def matches(self, heading: str) -> bool:
        wanted = normalise_label(re.sub(r"^[一二三四五六七八九十]+[、.．]\s*", "", heading.strip()))
        return any(normalise_label(x) == wanted for x in (self.heading, *self.variants))


@dataclass(frozen=True)
class Identity:
    """An accounting identity (勾稽关系): Σ lhs = Σ rhs, for each column (rows summed) or each row."""

    id: str
    table: str
    for_each: Literal["column", "row"]
    lhs: tuple[str, ...]
    rhs: tuple[str, ...]
    statement: str
    only: tuple[str, ...] = ()  # the rows (for_each row) or columns (for_each column) it holds for


@dataclass(frozen=True)
class CellRef:
    table: str
    row: str
    column: str


@dataclass(frozen=True)
class ProseFact:
    """A figure the prose may state, and the table cells (summed) it must equal."""

    id: str
    label: str
    cells: tuple[CellRef, ...]
    before: str | None = None  # regex for words preceding the number
    after: str | None = None  # regex for words following the number and its unit
    zero: tuple[str, ...] = ()  # regexes of sentences that state the figure is zero
    unit: str = "件"
    breakdown: tuple[ProseFact, ...] = ()
    context: str | None = None  # regex the sentence must match for the figure to be this fact
    # "收到申请22件（含上年结转1件）": a figure followed by `including_after` counts `including_cells` instead
    including_after: str | None = None
    including_cells: tuple[CellRef, ...] = ()


@dataclass(frozen=True)
class ChartBar:
    label: str
    keys: tuple[str, ...]  # rows (or groups) for a column chart, columns for a row chart


@dataclass(frozen=True)
class ChartSpec:
    key: str
    title: str
    table: str
    kind: Literal["row", "column"]  # bars along one row, or down one column
    line: str  # that row's or column's key
    bars: tuple[ChartBar, ...]


@dataclass(frozen=True)
class LabelRules:
    """How printed labels are compared (data in the format file): characters that never matter
    (punctuation, brackets) and the enumerators a label may start with ("一、", "（三）", "1.")."""

    ignore_characters: str = ""
    enumerators: tuple[str, ...] = ()

    def key(self, label: str, *, strip_enumerator: bool = False) -> str:
        """`label` reduced for comparison: width folded, spacing and ignored characters removed, and
        with ``strip_enumerator`` its leading enumerators too ("三、（三）1.属于国家秘密" → "属于国家秘密")."""
        return _label_key(self, label, strip_enumerator)

    def _key(self, label: str, strip_enumerator: bool) -> str:
        text = _WS_RE.sub("", unicodedata.normalize("NFKC", label))
        if strip_enumerator:
            changed = True
            while changed and text:
                changed = False
                for pattern in self.enumerators:
                    stripped = re.sub(pattern, "", text, count=1)
                    if stripped != text:
                        text, changed = stripped, True
        return text.translate(_ignored(self.ignore_characters))


@lru_cache(maxsize=65536)
def _label_key(rules: LabelRules, label: str, strip_enumerator: bool) -> str:
    return rules._key(label, strip_enumerator)


@cache
def _ignored(characters: str) -> dict[int, None]:
    return dict.fromkeys(ord(ch) for ch in characters + unicodedata.normalize("NFKC", characters))


@dataclass(frozen=True)
class Rule:
    """A plausibility rule (合理性): Σ left (signed) compared with Σ right (signed), per row or column."""

    id: str
    table: str
    for_each: Literal["column", "row"]
    left: tuple[tuple[str, int], ...]
    op: Literal[">=", "<=", "=="]
    right: tuple[tuple[str, int], ...]
    statement: str
    only: tuple[str, ...] = ()


@dataclass(frozen=True)
class Chain:
    """A cross-year chain (跨年度衔接): Σ this year's terms == Σ last year's terms, per row or column."""

    id: str
    table: str
    for_each: Literal["column", "row"]
    this: tuple[tuple[str, int], ...]
    previous: tuple[tuple[str, int], ...]
    statement: str
    only: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportFormat:
    """A report format (年度报告格式), e.g. F2019 (国办公开办函〔2019〕60号) or F2021 (〔2021〕30号)."""

    edition: str
    title: str
    source: str
    first_year: int
    last_year: int | None
    report_title: str
    sections: tuple[Section, ...]
    tables: dict[str, Table]
    identities: tuple[Identity, ...]
    prose_facts: tuple[ProseFact, ...]
    enumeration_units: tuple[str, ...]
    approximate_markers: tuple[str, ...]
    charts: tuple[ChartSpec, ...] = field(default=())
    label_rules: LabelRules = field(default=LabelRules())
    placeholders: tuple[str, ...] = ()
    rules: tuple[Rule, ...] = ()
    chains: tuple[Chain, ...] = ()

    def section(self, key: str) -> Section:
        for section in self.sections:
            if section.key == key:
                return section
        raise KeyError(key)

    def table(self, key: str) -> Table:
        return self.tables[key]

    def title_for(self, organisation: str, year: int) -> str:
        return self.report_title.format(organisation=organisation, year=year)

    def match_section(self, heading: str) -> Section | None:
        return next((s for s in self.sections if s.matches(heading)), None)

    def applies_to(self, year: int) -> bool:
        return year >= self.first_year and (self.last_year is None or year <= self.last_year)


# --- loading -------------------------------------------------------------------------------------------


def _tuple_of_str(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise FormatSpecError(f"{where}: expected a list of strings")
    return tuple(value)


def _column(data: dict[str, Any], default_type: str, where: str) -> Column:
    children = tuple(
        _column(c, default_type, f"{where}.children[{i}]") for i, c in enumerate(data.get("children", []))
    )
    cell_type = data.get("type", default_type)
    if cell_type not in CELL_TYPES:
        raise FormatSpecError(f"{where}.type: unknown cell type {cell_type!r}")
    if not children and not data.get("key"):
        raise FormatSpecError(f"{where}: a leaf column needs a key")
    return Column(
        label=data["label"],
        key=data.get("key"),
        type=cast(CellType, cell_type),
        unit=data.get("unit"),
        variants=_tuple_of_str(data.get("variants"), f"{where}.variants"),
        children=children,
    )


def _row(data: dict[str, Any], where: str) -> Row:
    children = tuple(_row(c, f"{where}.children[{i}]") for i, c in enumerate(data.get("children", [])))
    if not data.get("key"):
        raise FormatSpecError(f"{where}: a row needs a key")
    return Row(
        key=data["key"],
        label=data["label"],
        children=children,
        variants=_tuple_of_str(data.get("variants"), f"{where}.variants"),
    )


def _table(key: str, data: dict[str, Any]) -> Table:
    blocks = []
    for i, b in enumerate(data["blocks"]):
        where = f"tables.{key}.blocks[{i}]"
        default_type = b.get("cell_type", "integer")
        blocks.append(
            Block(
                key=b["key"],
                heading=b.get("heading"),
                corner=b.get("corner"),
                show_row_labels=b.get("show_row_labels", True),
                columns=tuple(
                    _column(c, default_type, f"{where}.columns[{j}]") for j, c in enumerate(b["columns"])
                ),
                rows=tuple(_row(r, f"{where}.rows[{j}]") for j, r in enumerate(b["rows"])),
            )
        )
    table = Table(key=key, section=data["section"], title=data["title"], blocks=tuple(blocks))
    row_keys = [r.key for b in table.blocks for r in b.all_rows()]
    if len(row_keys) != len(set(row_keys)):
        raise FormatSpecError(f"tables.{key}: row keys must be unique across the table")
    for block in table.blocks:
        col_keys = [c.key for c in block.leaf_columns]
        if len(col_keys) != len(set(col_keys)):
            raise FormatSpecError(f"tables.{key}.{block.key}: column keys must be unique in a block")
    return table


def _cell_refs(raw: Any, where: str, tables: dict[str, Table]) -> list[CellRef]:
    cells = []
    for i, (t, r, c) in enumerate(raw):
        if t not in tables or not tables[t].has_cell(r, c):
            raise FormatSpecError(f"{where}[{i}]: no cell {t}.{r}.{c}")
        cells.append(CellRef(t, r, c))
    return cells


def _fact(data: dict[str, Any], where: str, tables: dict[str, Table]) -> ProseFact:
    cells = _cell_refs(data["cells"], f"{where}.cells", tables)
    including = data.get("including") or {}
    including_cells = _cell_refs(including.get("cells", []), f"{where}.including.cells", tables)
    if not data.get("before") and not data.get("after"):
        raise FormatSpecError(f"{where}: needs 'before' or 'after'")
    for pattern in (
        data.get("before"), data.get("after"), data.get("context"), including.get("after"), *data.get("zero", [])
    ):
        if pattern:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise FormatSpecError(f"{where}: bad pattern {pattern!r}: {exc}") from exc
    return ProseFact(
        id=data.get("id", data["label"]),
        label=data["label"],
        cells=tuple(cells),
        before=data.get("before"),
        after=data.get("after"),
        zero=_tuple_of_str(data.get("zero"), f"{where}.zero"),
        unit=data.get("unit", "件"),
        context=data.get("context"),
        including_after=including.get("after"),
        including_cells=tuple(including_cells),
        breakdown=tuple(
            _fact(b, f"{where}.breakdown[{i}]", tables) for i, b in enumerate(data.get("breakdown", []))
        ),
    )


def _identity(data: dict[str, Any], tables: dict[str, Table]) -> Identity:
    where = f"identities.{data.get('id')}"
    table = tables.get(data["table"])
    if table is None:
        raise FormatSpecError(f"{where}: unknown table {data['table']!r}")
    for_each = data["for_each"]
    lhs, rhs = _tuple_of_str(data["lhs"], f"{where}.lhs"), _tuple_of_str(data["rhs"], f"{where}.rhs")
    only = _tuple_of_str(data.get("rows") if for_each == "row" else data.get("columns"), f"{where}.only")
    if for_each == "column":
        # Summed keys are rows; they must all live in one block so they share its columns.
        blocks = {table.block_of(k).key for k in (*lhs, *rhs)}
        if len(blocks) != 1 or any(table.row(k).is_group for k in (*lhs, *rhs)):
            raise FormatSpecError(f"{where}: lhs/rhs must be data rows of one block")
    elif for_each == "row":
        for row_key in only:
            for col in (*lhs, *rhs):
                if not table.has_cell(row_key, col):
                    raise FormatSpecError(f"{where}: no cell {row_key}.{col}")
    else:
        raise FormatSpecError(f"{where}.for_each: 'column' or 'row'")
    return Identity(
        id=data["id"],
        table=data["table"],
        for_each=for_each,
        lhs=lhs,
        rhs=rhs,
        statement=data.get("statement", ""),
        only=only,
    )


def _chart(data: dict[str, Any], tables: dict[str, Table]) -> ChartSpec:
    kind = data["kind"]
    line = data["row"] if kind == "row" else data["column"]
    bars = tuple(
        ChartBar(label=b["label"], keys=tuple(b["columns"] if kind == "row" else b["rows"]))
        for b in data["bars"]
    )
    if data["table"] not in tables:
        raise FormatSpecError(f"charts.{data['key']}: unknown table")
    return ChartSpec(
        key=data["key"], title=data["title"], table=data["table"], kind=kind, line=line, bars=bars
    )


def _terms(value: Any, where: str) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict) or not all(isinstance(k, str) and isinstance(v, int) for k, v in value.items()):
        raise FormatSpecError(f"{where}: expected an object of key → coefficient")
    return tuple(value.items())


def _check_terms(table: Table, for_each: str, keys: tuple[str, ...], only: tuple[str, ...], where: str) -> None:
    if for_each == "column":
        for key in keys:
            table.row(key)  # KeyError for an unknown row
    elif for_each == "row":
        for row in only:
            for key in keys:
                if not table.has_cell(row, key):
                    raise FormatSpecError(f"{where}: no cell {row}.{key}")
    else:
        raise FormatSpecError(f"{where}.for_each: 'column' or 'row'")


def _rule(data: dict[str, Any], tables: dict[str, Table]) -> Rule:
    where = f"rules.{data.get('id')}"
    table = tables.get(data["table"])
    if table is None:
        raise FormatSpecError(f"{where}: unknown table {data['table']!r}")
    if data["op"] not in (">=", "<=", "=="):
        raise FormatSpecError(f"{where}.op: one of >=, <=, ==")
    left, right = _terms(data["left"], f"{where}.left"), _terms(data.get("right", {}), f"{where}.right")
    only = _tuple_of_str(data.get("rows") if data["for_each"] == "row" else data.get("columns"), f"{where}.only")
    _check_terms(table, data["for_each"], tuple(k for k, _ in (*left, *right)), only, where)
    return Rule(
        id=data["id"], table=data["table"], for_each=data["for_each"], left=left, op=data["op"], right=right,
        statement=data.get("statement", ""), only=only,
    )


def _chain(data: dict[str, Any], tables: dict[str, Table]) -> Chain:
    where = f"chains.{data.get('id')}"
    table = tables.get(data["table"])
    if table is None:
        raise FormatSpecError(f"{where}: unknown table {data['table']!r}")
    this, previous = _terms(data["this"], f"{where}.this"), _terms(data["previous"], f"{where}.previous")
    only = _tuple_of_str(data.get("rows") if data["for_each"] == "row" else data.get("columns"), f"{where}.only")
    _check_terms(table, data["for_each"], tuple(k for k, _ in (*this, *previous)), only, where)
    return Chain(
        id=data["id"], table=data["table"], for_each=data["for_each"], this=this, previous=previous,
        statement=data.get("statement", ""), only=only,
    )


def _label_rules(data: Any) -> LabelRules:
    if data is None:
        return LabelRules()
    enumerators = _tuple_of_str(data.get("enumerators"), "label_rules.enumerators")
    for pattern in enumerators:
        try:
            re.compile(pattern)
        except re.error as exc:
            raise FormatSpecError(f"label_rules.enumerators: bad pattern {pattern!r}: {exc}") from exc
    return LabelRules(ignore_characters=str(data.get("ignore_characters", "")), enumerators=enumerators)


def parse_format(data: dict[str, Any]) -> ReportFormat:
    """A format from its JSON description; raises FormatSpecError when it is inconsistent."""
    try:
        tables = {key: _table(key, t) for key, t in data["tables"].items()}
        sections = tuple(
            Section(
                key=s["key"],
                heading=s["heading"],
                kind=s["kind"],
                table=s.get("table"),
                variants=_tuple_of_str(s.get("variants"), f"sections.{s['key']}.variants"),
            )
            for s in data["sections"]
        )
        for s in sections:
            if s.kind == "table" and s.table not in tables:
                raise FormatSpecError(f"sections.{s.key}: unknown table {s.table!r}")
        identities = tuple(_identity(i, tables) for i in data["identities"])
        ids = [i.id for i in identities]
        if len(ids) != len(set(ids)):
            raise FormatSpecError("identities: ids must be unique")
        years = data["report_years"]
        return ReportFormat(
            edition=str(data["edition"]),
            title=data["title"],
            source=data["source"],
            first_year=int(years["first"]),
            last_year=None if years.get("last") is None else int(years["last"]),
            report_title=data["report_title"],
            sections=sections,
            tables=tables,
            identities=identities,
            prose_facts=tuple(
                _fact(f, f"prose_facts[{i}]", tables) for i, f in enumerate(data.get("prose_facts", []))
            ),
            enumeration_units=_tuple_of_str(data.get("enumeration_units"), "enumeration_units"),
            approximate_markers=_tuple_of_str(data.get("approximate_markers"), "approximate_markers"),
            charts=tuple(_chart(c, tables) for c in data.get("charts", [])),
            label_rules=_label_rules(data.get("label_rules")),
            placeholders=_tuple_of_str(data.get("placeholders"), "placeholders"),
            rules=tuple(_rule(r, tables) for r in data.get("rules", [])),
            chains=tuple(_chain(c, tables) for c in data.get("chains", [])),
        )
    except (KeyError, TypeError, ValueError) as exc:
        if isinstance(exc, FormatSpecError):
            raise
        raise FormatSpecError(f"format description incomplete or malformed: {exc!r}") from exc


def available_editions() -> tuple[str, ...]:
    """The editions shipped in ``formats/`` (e.g. ``("2019", "2021")``)."""
    names = [p.name for p in resources.files("gongkai.reports").joinpath("formats").iterdir()]
    return tuple(sorted(n[1:-5] for n in names if n.startswith("f") and n.endswith(".json")))


@cache
def load_format(edition: str) -> ReportFormat:
    """The format of one edition, e.g. ``load_format("2021")``; KeyError names the editions available."""
    if edition not in available_editions():
        raise KeyError(f"unknown report format {edition!r}; available: {', '.join(available_editions())}")
    text = (
        resources.files("gongkai.reports").joinpath("formats", f"f{edition}.json").read_text(encoding="utf-8")
    )
    fmt = parse_format(json.loads(text))
    if fmt.edition != edition:
        raise FormatSpecError(f"f{edition}.json declares edition {fmt.edition!r}")
    return fmt


def format_for_year(year: int) -> ReportFormat:
    """The format in force for reports on ``year`` (2019–2020 → F2019; 2021 on → F2021)."""
    for edition in reversed(available_editions()):
        fmt = load_format(edition)
        if fmt.applies_to(year):
            return fmt
    raise KeyError(f"no report format covers the year {year}")
