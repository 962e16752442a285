"""Finding the defects of a recognised report (审查规则).

Structure (format for the year, headings, tables, rows), cells (placeholders, ambiguous or invalid figures),
the format's identities (勾稽关系) and plausibility rules, subtotals the report prints, prose against tables
and lists against their totals (the same prose checks as ``reports.check``), and, for several years of one
organisation, the cross-year chains. A figure that is not a number never takes part in a sum: an identity
that needs it is left unjudged, and the cell is its own finding.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from gongkai.reports.check import Failure, check_enumerations, check_prose_facts
from gongkai.reports.document import Organisation, ReportDocument, TableValues, Value
from gongkai.reports.spec import Chain, ReportFormat, Rule, Table, format_for_year

from .findings import Finding, Place
from .rebuild import Cell, Recognised, TableRead

# Format labels are matched as printed.
__i18n_exempt__ = ("_short",)


def _sum(values: Iterable[Value]) -> Value:
    total: Value = 0
    for v in values:
        total += v
    return total


def _column_label(table: Table, column: str) -> str | None:
    for block in table.blocks:
        for col in block.leaf_columns:
            if col.key == column:
                return col.label
    return None


def _row_label(table: Table, row: str) -> str | None:
    try:
        return table.row(row).label
    except KeyError:
        return None


def place(fmt: ReportFormat, table_key: str, row: str | None = None, column: str | None = None) -> Place:
    table = fmt.table(table_key)
    return Place(
        section=table.section, table=table_key, row=row, column=column,
        row_label=_row_label(table, row) if row and "+" not in row else None,
        column_label=_column_label(table, column) if column and "+" not in column else None,
    )


# ---- values -----------------------------------------------------------------------------------------------


class Values:
    """The figures of a recognised report: numbers only; a collapsed group stands for its parts."""

    def __init__(self, fmt: ReportFormat, tables: dict[str, TableRead], collapsed: list[tuple[str, str]]) -> None:
        self.fmt = fmt
        self.tables = tables
        self.collapsed = {(t, g) for t, g in collapsed}

    def cell(self, table: str, row: str, column: str) -> Cell | None:
        read = self.tables.get(table)
        if read is None or row not in read.rows:
            return None
        return read.rows[row].cells.get(column)

    def number(self, table: str, row: str, column: str) -> Value | None:
        cell = self.cell(table, row, column)
        return cell.value if cell is not None and cell.status == "number" else None

    def rows_sum(self, table: str, rows: tuple[str, ...], column: str) -> Value | None:
        """Σ of `rows` in `column`; children of a collapsed group count through the group's one figure."""
        spec = self.fmt.table(table)
        total: Value = 0
        counted_groups: set[str] = set()
        for row in rows:
            value = self.number(table, row, column)
            if value is None:
                group = self._collapsed_parent(spec, table, row)
                if group is None:
                    return None
                children = [c.key for c in spec.row(group).leaves()]
                if not all(c in rows for c in children):
                    return None
                if group in counted_groups:
                    continue
                value = self.number(table, group, column)
                if value is None:
                    return None
                counted_groups.add(group)
            total += value
        return total

    def _collapsed_parent(self, spec: Table, table: str, row: str) -> str | None:
        for t, group in self.collapsed:
            if t == table and any(c.key == row for c in spec.row(group).leaves()):
                return group
        return None

    def document(self, organisation: str, year: int, texts: dict[str, str], preamble: str) -> ReportDocument:
        """The report's JSON form: every figure read; placeholders and ambiguous cells under ``unstated``."""
        tables: dict[str, TableValues] = {}
        unstated: dict[str, dict[str, dict[str, str]]] = {}
        for key, read in self.tables.items():
            spec = self.fmt.table(key)
            values: TableValues = {}
            for row in spec.data_rows:
                if row.key not in read.rows:
                    continue
                row_read = read.rows[row.key]
                for col in spec.columns_of(row.key):
                    assert col.key is not None
                    cell = row_read.cells.get(col.key)
                    if cell is not None and cell.status == "number" and cell.value is not None:
                        values.setdefault(row.key, {})[col.key] = cell.value
                    else:
                        printed = row_read.ambiguous if cell is None else cell.raw
                        unstated.setdefault(key, {}).setdefault(row.key, {})[col.key] = printed or ""
                values.setdefault(row.key, {})
            tables[key] = values
        return ReportDocument(
            format=self.fmt, organisation=Organisation(name=organisation), year=year,
            sections={k: v for k, v in texts.items() if v.strip()}, tables=tables, preamble=preamble,
            unstated=unstated,
        )


# ---- structure --------------------------------------------------------------------------------------------


def check_format(rec: Recognised) -> list[Finding]:
    fmt = rec.format
    assert fmt is not None
    findings = []
    if rec.year is not None:
        try:
            expected = format_for_year(rec.year)
        except KeyError:
            expected = None
        if expected is not None and expected.edition != fmt.edition:
            findings.append(Finding(
                kind="wrong_format", severity="error", place=Place(),
                expected=expected.edition, found=fmt.edition,
                message=gettext(
                    "%(year)s 年度报告应使用 %(expected)s 年格式（%(expected_source)s），"
                    "而表格采用的是 %(found)s 年格式（%(found_source)s）"
                ) % {"year": rec.year, "expected": expected.edition, "expected_source": expected.source,
                     "found": fmt.edition, "found_source": fmt.source},
            ))
    for table_key, group in rec.collapsed_groups:
        table = fmt.table(table_key)
        row = table.row(group)
        parts = "、".join(c.label for c in row.leaves())
        findings.append(Finding(
            kind="layout", severity="warning", place=place(fmt, table_key, group),
            expected=len(list(row.leaves())), found=1,
            message=(
                gettext("表「%(table)s」的「%(row)s」只印了一行，%(edition)s 年格式要求分列 %(parts)s") % {
                    "table": table.title, "row": row.label, "edition": fmt.edition, "parts": parts}
                + (gettext("（该行各列均为 0，各分项按 0 读取）") if _all_zero(rec, table_key, group)
                   else gettext("（各分项无法得知）"))
            ),
        ))
    return findings


def _all_zero(rec: Recognised, table_key: str, row: str) -> bool:
    cells = rec.tables[table_key].rows[row].cells.values()
    return bool(cells) and all(c.status == "number" and c.value == 0 for c in cells)


def check_sections(rec: Recognised) -> list[Finding]:
    fmt = rec.format
    assert fmt is not None
    findings = []
    found = {s.key: s for s in rec.sections}
    for section in fmt.sections:
        heading = found.get(section.key)
        has_table = bool(section.table and section.table in rec.tables and rec.tables[section.table].rows)
        if heading is None:
            if has_table:
                findings.append(Finding(
                    kind="missing_section", severity="warning", place=Place(section=section.key),
                    expected=section.numbered_heading, found=None,
                    message=gettext("缺少第%(section)s部分的标题「%(heading)s」（表格在）") % {
                        "section": section.key, "heading": section.numbered_heading},
                ))
            else:
                findings.append(Finding(
                    kind="missing_section", severity="error", place=Place(section=section.key),
                    expected=section.numbered_heading, found=None,
                    message=gettext("缺少第%(section)s部分「%(heading)s」") % {
                        "section": section.key, "heading": section.numbered_heading},
                ))
            continue
        if heading.printed != section.key:
            findings.append(Finding(
                kind="misnumbered_section", severity="error",
                place=Place(section=section.key, quote=f"{heading.printed}、{heading.heading}"[:60]),
                expected=section.key, found=heading.printed,
                message=gettext("「%(printed)s、%(heading)s」应为第%(section)s部分，序号印成了「%(printed)s」") % {
                    "printed": heading.printed, "heading": heading.heading[:30], "section": section.key},
            ))
        if section.kind == "prose" and not rec.texts.get(section.key, "").strip():
            findings.append(Finding(
                kind="missing_section", severity="error", place=Place(section=section.key),
                expected=section.numbered_heading, found="",
                message=gettext("第%(section)s部分「%(heading)s」只有标题，没有内容") % {
                    "section": section.key, "heading": section.numbered_heading},
            ))
        elif section.kind == "table" and section.table and not has_table:
            findings.append(Finding(
                kind="missing_table", severity="error", place=Place(section=section.key, table=section.table),
                expected=fmt.table(section.table).title, found=None,
                message=gettext("第%(section)s部分没有表格「%(table)s」（或表格无法读取）") % {
                    "section": section.key, "table": fmt.table(section.table).title},
            ))
    return findings


def check_rows(rec: Recognised) -> list[Finding]:
    """Rows the format has and the table lacks, reported as runs ("表格在 X 之后中断")."""
    fmt = rec.format
    assert fmt is not None
    findings = []
    for table_key, read in rec.tables.items():
        if not read.rows:
            continue
        table = fmt.table(table_key)
        rows = list(table.data_rows)
        missing_runs: list[list[int]] = []
        for index, row in enumerate(rows):
            if row.key in read.rows:
                continue
            if missing_runs and missing_runs[-1][-1] == index - 1:
                missing_runs[-1].append(index)
            else:
                missing_runs.append([index])
        for run in missing_runs:
            first, last = rows[run[0]], rows[run[-1]]
            span = f"「{first.label}」" if len(run) == 1 else gettext("「%(first)s」至「%(last)s」共 %(count)s 行") % {
                "first": first.label, "last": last.label, "count": len(run)}
            after = gettext("，表格在「%(row)s」之后中断") % {"row": rows[run[0] - 1].label} if (
                run[0] > 0 and run[-1] == len(rows) - 1) else ""
            findings.append(Finding(
                kind="missing_row", severity="error", place=place(fmt, table_key, first.key),
                expected=len(run), found=0,  # rows; the message names the first and the last
                message=gettext("表「%(table)s」缺少%(rows)s%(after)s") % {"table": table.title, "rows": span, "after": after},
            ))
    return findings


def check_cells(rec: Recognised) -> list[Finding]:
    fmt = rec.format
    assert fmt is not None
    findings = []
    for table_key, read in rec.tables.items():
        table = fmt.table(table_key)
        for extra in read.too_many:
            findings.append(Finding(
                kind="ambiguous", severity="uncertain", place=place(fmt, table_key, extra.key),
                expected=len(table.columns_of(extra.key)), found=extra.ambiguous,
                message=gettext("「%(row)s」行印出的数字多于列数：%(numbers)s") % {
                    "row": _row_label(table, extra.key), "numbers": extra.ambiguous},
            ))
        for row in (r for b in table.blocks for r in b.all_rows()):
            row_read = read.rows.get(row.key)
            if row_read is None:
                continue
            if row_read.ambiguous is not None:
                findings.append(Finding(
                    kind="ambiguous", severity="uncertain", place=place(fmt, table_key, row.key),
                    expected=len(table.columns_of(row.key)) if not row.is_group else None,
                    found=row_read.ambiguous,
                    message=gettext(
                        "「%(row)s」行的数字「%(numbers)s」连在一起或残缺，不能唯一地拆分到各列，本行不作判断"
                    ) % {"row": row.label, "numbers": row_read.ambiguous},
                ))
                continue
            blanks = [(k, c) for k, c in row_read.cells.items() if c.status == "placeholder"]
            if blanks:
                names = "、".join(f"「{_column_label(table, k)}」" for k, _c in blanks)
                shown = "、".join(sorted({c.raw or gettext("空白") for _k, c in blanks}))
                findings.append(Finding(
                    kind="placeholder", severity="warning",
                    place=place(fmt, table_key, row.key, "+".join(k for k, _c in blanks)),
                    expected=gettext("数字（没有则填 0）"), found=shown,
                    message=gettext("「%(row)s」行 %(columns)s 列填的是「%(shown)s」而不是数字，不计入任何合计") % {
                        "row": row.label, "columns": names, "shown": shown},
                ))
            for key, cell in row_read.cells.items():
                if cell.status == "invalid":
                    column = table.block_of(row.key).column(key)
                    wanted = {"integer": gettext("非负整数"), "signed_integer": gettext("整数"),
                              "decimal": gettext("非负数")}[column.type]
                    findings.append(Finding(
                        kind="invalid_value", severity="error", place=place(fmt, table_key, row.key, key),
                        expected=wanted, found=cell.raw,
                        message=gettext("「%(row)s」行「%(column)s」列应为%(wanted)s，印的是「%(raw)s」") % {
                            "row": row.label, "column": column.label, "wanted": wanted, "raw": cell.raw},
                    ))
    return findings


# ---- identities, subtotals, rules -------------------------------------------------------------------------


def check_identities(rec: Recognised, values: Values) -> list[Finding]:
    fmt = rec.format
    assert fmt is not None
    findings = []
    for ident in fmt.identities:
        if ident.table not in rec.tables:
            continue
        table = fmt.table(ident.table)
        if ident.for_each == "column":
            block = table.block_of(ident.lhs[0])
            for col in ident.only or tuple(c.key for c in block.leaf_columns if c.key):
                found = values.rows_sum(ident.table, ident.lhs, col)
                expected = values.rows_sum(ident.table, ident.rhs, col)
                if found is None or expected is None or found == expected:
                    continue
                findings.append(Finding(
                    kind="identity", severity="error", rule=ident.id,
                    place=place(fmt, ident.table, "+".join(ident.lhs), col),
                    expected=expected, found=found,
                    message=gettext(
                        "%(id)s（%(statement)s）不成立：「%(column)s」列 %(lhs)s = %(found)s，而 %(rhs)s = %(expected)s"
                    ) % {"id": ident.id, "statement": ident.statement, "column": block.column(col).label,
                         "lhs": " + ".join(table.row(k).label for k in ident.lhs), "found": found,
                         "rhs": " + ".join(_short(table.row(k).label) for k in ident.rhs), "expected": expected},
                ))
        else:
            for row in ident.only:
                lhs = [values.number(ident.table, row, c) for c in ident.lhs]
                rhs = [values.number(ident.table, row, c) for c in ident.rhs]
                if any(v is None for v in (*lhs, *rhs)):
                    continue
                found, expected = _sum(v for v in lhs if v is not None), _sum(v for v in rhs if v is not None)
                if found == expected:
                    continue
                findings.append(Finding(
                    kind="identity", severity="error", rule=ident.id,
                    place=place(fmt, ident.table, row, "+".join(ident.lhs)),
                    expected=expected, found=found,
                    message=gettext("%(id)s（%(statement)s）不成立：%(row)s%(lhs)s = %(found)s，而 %(rhs)s = %(expected)s") % {
                        "id": ident.id, "statement": ident.statement,
                        "row": gettext("「%(row)s」行 ") % {"row": table.row(row).label}
                        if table.block_of(row).show_row_labels else "",
                        "lhs": " + ".join(_column_label(table, c) or c for c in ident.lhs), "found": found,
                        "rhs": " + ".join(_column_label(table, c) or c for c in ident.rhs), "expected": expected},
                ))
    return findings


def _short(label: str) -> str:
    return label.split("（区分处理")[0]


def check_subtotals(rec: Recognised, values: Values) -> list[Finding]:
    """A group row the report printed with figures of its own (a subtotal) must equal its parts."""
    fmt = rec.format
    assert fmt is not None
    findings = []
    collapsed = set(rec.collapsed_groups)
    for table_key, read in rec.tables.items():
        table = fmt.table(table_key)
        for row in (r for b in table.blocks for r in b.all_rows()):
            if not row.is_group or row.key not in read.rows or (table_key, row.key) in collapsed:
                continue
            children = tuple(c.key for c in row.leaves())
            for col in table.columns_of(children[0]):
                assert col.key is not None
                found = values.number(table_key, row.key, col.key)
                expected = values.rows_sum(table_key, children, col.key)
                if found is None or expected is None or found == expected:
                    continue
                findings.append(Finding(
                    kind="identity", severity="error", rule="subtotal",
                    place=place(fmt, table_key, row.key, col.key), expected=expected, found=found,
                    message=gettext("「%(row)s」小计在「%(column)s」列印的是 %(found)s，其各分项之和为 %(expected)s") % {
                        "row": row.label, "column": col.label, "found": found, "expected": expected},
                ))
    return findings


def _evaluate(terms: tuple[tuple[str, int], ...], get: dict[str, Value | None]) -> Value | None:
    total: Value = 0
    for key, coefficient in terms:
        value = get.get(key)
        if value is None:
            return None
        total += coefficient * value
    return total


def _holds(left: Value, op: str, right: Value) -> bool:
    return left >= right if op == ">=" else left <= right if op == "<=" else left == right


def check_rules(rec: Recognised, values: Values) -> list[Finding]:
    fmt = rec.format
    assert fmt is not None
    findings = []
    for rule in fmt.rules:
        if rule.table not in rec.tables:
            continue
        findings.extend(_rule_findings(fmt, rule, values))
    return findings


def _rule_findings(fmt: ReportFormat, rule: Rule, values: Values) -> list[Finding]:
    table = fmt.table(rule.table)
    out: list[Finding] = []
    if rule.for_each != "row":
        return out
    for row in rule.only:
        keys = {k for k, _c in (*rule.left, *rule.right)}
        got = {k: values.number(rule.table, row, k) for k in keys}
        left, right = _evaluate(rule.left, got), _evaluate(rule.right, got)
        if left is None or right is None or _holds(left, rule.op, right):
            continue
        out.append(Finding(
            kind="rule", severity="error", rule=rule.id, place=place(fmt, rule.table, row),
            expected=f"{rule.op} {right}", found=left,
            message=gettext("%(id)s（%(statement)s）不成立：「%(row)s」行为 %(left)s，应 %(op)s %(right)s") % {
                "id": rule.id, "statement": rule.statement, "row": table.row(row).label, "left": left, "op": rule.op,
                "right": right},
        ))
    return out


# ---- prose ------------------------------------------------------------------------------------------------


def check_prose(document: ReportDocument) -> list[Finding]:
    """Prose figures against tables and enumerations against their totals, as ``reports.check`` judges them."""
    return [_from_failure(document.format, f) for f in (*check_prose_facts(document), *check_enumerations(document))]


def _quote(message: str) -> str | None:
    start, end = message.find("「"), message.find("」")
    return message[start + 1 : end] if 0 <= start < end else None


def _from_failure(fmt: ReportFormat, failure: Failure) -> Finding:
    table = fmt.tables.get(failure.table) if failure.table else None
    return Finding(
        kind=failure.kind, severity="error", rule=failure.identity,
        place=Place(
            section=failure.section, table=failure.table, row=failure.row, column=failure.column,
            row_label=_row_label(table, failure.row) if table and failure.row and "+" not in failure.row else None,
            column_label=(
                _column_label(table, failure.column) if table and failure.column and "+" not in failure.column else None
            ),
            quote=_quote(failure.message),
        ),
        expected=failure.expected, found=failure.found, message=failure.message,
    )


# ---- across years -----------------------------------------------------------------------------------------


def check_chains(previous: ReportDocument, current: ReportDocument) -> list[Finding]:
    """The chains of `current`'s format between last year's report and this year's (every column or row)."""
    findings = []
    fmt = current.format
    for chain in fmt.chains:
        findings.extend(_chain_findings(fmt, chain, previous, current))
    return findings


def _chain_findings(fmt: ReportFormat, chain: Chain, previous: ReportDocument, current: ReportDocument) -> list[Finding]:
    table = fmt.table(chain.table)
    out: list[Finding] = []
    instances: list[tuple[str | None, str | None]]
    if chain.for_each == "column":
        block = table.block_of(chain.this[0][0])
        instances = [(None, c.key) for c in block.leaf_columns if c.key and (not chain.only or c.key in chain.only)]
    else:
        instances = [(r, None) for r in chain.only]
    for row, column in instances:
        def get(doc: ReportDocument, key: str, row: str | None = row, column: str | None = column) -> Value | None:
            return doc.value(chain.table, key, column) if column is not None else doc.value(chain.table, row or "", key)

        this = _evaluate(chain.this, {k: get(current, k) for k, _c in chain.this})
        before = _evaluate(chain.previous, {k: get(previous, k) for k, _c in chain.previous})
        if this is None or before is None or this == before:
            continue
        where = (gettext("「%(column)s」列") % {"column": _column_label(table, column)} if column
                 else gettext("「%(row)s」行") % {"row": table.row(row or "").label})
        out.append(Finding(
            kind="cross_year", severity="error" if chain.for_each == "column" else "warning", rule=chain.id,
            place=place(fmt, chain.table, row or "+".join(k for k, _c in chain.this), column),
            expected=before, found=this,
            message=gettext(
                "%(id)s（%(statement)s）不成立：%(where)s %(previous_year)s 年报告为 %(before)s，"
                "%(year)s 年报告为 %(this)s"
            ) % {"id": chain.id, "statement": chain.statement, "where": where, "previous_year": previous.year,
                 "before": before, "year": current.year, "this": this},
        ))
    return out

