"""Checks of an annual report against its format (年度报告校验).

- identities (勾稽关系) of the format, each instance (per column or per row) on its own;
- completeness: sections, tables and rows the format has and the report lacks;
- prose against tables: a figure the text states (the format's ``prose_facts``) that differs from its table;
- enumerations in prose whose parts do not add up to the total they claim ("共324条，A 50条、B 87条…").

An identity that involves a missing row is skipped: the missing row is reported once, as itself.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from django.utils.translation import gettext, gettext_lazy

from gongkai.core.cnnum import NUMBER, parse_number, squeeze
from gongkai.reports.document import ReportDocument, Value
from gongkai.reports.spec import RELATION_SIGNS, Identity, ProseFact, ReportFormat, Table

FailureKind = Literal["identity", "missing_section", "missing_row", "prose_mismatch", "enumeration", "unstated"]


@dataclass(frozen=True)
class Failure:
    """One failed check. ``expected`` is what the rule requires, ``found`` what the report has."""

    kind: FailureKind
    message: str
    identity: str | None = None
    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    expected: Value | None = None
    found: Value | str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: (str(v) if isinstance(v, Decimal) else v) for k, v in self.__dict__.items()}


def _sum(values: list[Value]) -> Value:
    total: Value = 0
    for v in values:
        total += v
    return total


# Patterns matching the wording of published reports.
__i18n_exempt__ = ("_APPROX_BEFORE", "_TRIGGER")

_RELATION_WORDS = {"eq": "", "ge": gettext_lazy("应不小于"), "le": gettext_lazy("应不大于")}


def _broken(ident: Identity) -> str:
    """How the two sides compare, in the words of the message."""
    if ident.relation == "eq":
        return gettext("而")
    return gettext("%(relation)s（%(sign)s）") % {
        "relation": _RELATION_WORDS[ident.relation], "sign": RELATION_SIGNS[ident.relation]}


def _labels(table: Table, keys: tuple[str, ...], kind: str) -> str:
    if kind == "row":
        return " + ".join(table.row(k).label for k in keys)
    labels = []
    for key in keys:
        for block in table.blocks:
            col = next((c for c in block.leaf_columns if c.key == key), None)
            if col is not None:
                labels.append(col.label)
                break
    return " + ".join(labels)


def _check_identity(report: ReportDocument, ident: Identity) -> list[Failure]:
    table = report.format.table(ident.table)
    values = report.tables.get(ident.table)
    if values is None:
        return []
    failures = []
    if ident.for_each == "column":
        block = table.block_of(ident.lhs[0])
        columns = ident.only or tuple(c.key for c in block.leaf_columns if c.key)
        for col in columns:
            lhs = [report.value(ident.table, r, col) for r in ident.lhs]
            rhs = [report.value(ident.table, r, col) for r in ident.rhs]
            if any(v is None for v in (*lhs, *rhs)):
                continue
            found, expected = _sum([v for v in lhs if v is not None]), _sum([v for v in rhs if v is not None])
            if not ident.holds(found, expected):
                failures.append(
                    Failure(
                        kind="identity",
                        identity=ident.id,
                        section=table.section,
                        table=ident.table,
                        row="+".join(ident.lhs),
                        column=col,
                        expected=expected,
                        found=found,
                        message=gettext(
                            "%(id)s（%(statement)s）不成立：列「%(column)s」中 %(lhs)s = %(found)s，"
                            "%(broken)s %(rhs)s = %(expected)s"
                        ) % {"id": ident.id, "statement": ident.statement, "column": block.column(col).label,
                             "lhs": _labels(table, ident.lhs, "row"), "found": found, "broken": _broken(ident),
                             "rhs": _labels(table, ident.rhs, "row"), "expected": expected},
                    )
                )
    else:
        for row in ident.only:
            if row not in values:
                continue
            lhs = [report.value(ident.table, row, c) for c in ident.lhs]
            rhs = [report.value(ident.table, row, c) for c in ident.rhs]
            if any(v is None for v in (*lhs, *rhs)):
                continue
            found, expected = _sum([v for v in lhs if v is not None]), _sum([v for v in rhs if v is not None])
            if not ident.holds(found, expected):
                failures.append(
                    Failure(
                        kind="identity",
                        identity=ident.id,
                        section=table.section,
                        table=ident.table,
                        row=row,
                        column="+".join(ident.lhs),
                        expected=expected,
                        found=found,
                        message=gettext(
                            "%(id)s（%(statement)s）不成立：行「%(row)s」中 %(lhs)s = %(found)s，"
                            "%(broken)s %(rhs)s = %(expected)s"
                        ) % {"id": ident.id, "statement": ident.statement, "row": table.row(row).label,
                             "lhs": _labels(table, ident.lhs, "col"), "found": found, "broken": _broken(ident),
                             "rhs": _labels(table, ident.rhs, "col"), "expected": expected},
                    )
                )
    return failures


def check_identities(report: ReportDocument) -> list[Failure]:
    """Every identity of the report's format, instance by instance."""
    return [f for ident in report.format.identities for f in _check_identity(report, ident)]


def check_completeness(report: ReportDocument) -> list[Failure]:
    """Sections, tables and data rows of the format that the report lacks."""
    failures = []
    fmt = report.format
    for section in fmt.sections:
        if section.kind == "prose":
            if not report.text(section.key).strip():
                failures.append(
                    Failure(
                        kind="missing_section",
                        section=section.key,
                        message=gettext("缺少第%(section)s部分「%(heading)s」") % {
                            "section": section.key, "heading": section.numbered_heading},
                    )
                )
            continue
        assert section.table is not None
        values = report.tables.get(section.table)
        if values is None:
            failures.append(
                Failure(
                    kind="missing_section",
                    section=section.key,
                    table=section.table,
                    message=gettext("缺少第%(section)s部分「%(heading)s」的表格") % {
                        "section": section.key, "heading": section.numbered_heading},
                )
            )
            continue
        table = fmt.table(section.table)
        for row in table.data_rows:
            if row.key not in values:
                failures.append(
                    Failure(
                        kind="missing_row",
                        section=section.key,
                        table=table.key,
                        row=row.key,
                        message=gettext("表「%(table)s」缺少行「%(row)s」") % {"table": table.title, "row": row.label},
                    )
                )
    return failures


# --- prose ----------------------------------------------------------------------------------------------

_APPROX_BEFORE = r"(?P<approx>约|近|逾|超过)?"


def _approx_after(fmt: ReportFormat) -> str:
    markers = [re.escape(m) for m in fmt.approximate_markers if m not in ("约", "近", "逾", "超过")]
    return f"(?P<more>{'|'.join(markers)})?" if markers else "(?P<more>)?"


def _prose_texts(report: ReportDocument) -> list[tuple[str, str]]:
    """(section key, squeezed text) of every section that has text."""
    return [(key, squeeze(text)) for key, text in report.sections.items() if text.strip()]


def _fact_value(report: ReportDocument, fact: ProseFact) -> Value | None:
    values = [report.value(c.table, c.row, c.column) for c in fact.cells]
    if any(v is None for v in values):
        return None
    return _sum([v for v in values if v is not None])


def _fact_patterns(fmt: ReportFormat, fact: ProseFact) -> list[re.Pattern[str]]:
    number = f"{_APPROX_BEFORE}(?P<num>{NUMBER}){_approx_after(fmt)}{re.escape(fact.unit)}"
    patterns = []
    if fact.before:
        patterns.append(re.compile(f"(?:{fact.before})(?:为|达|是)?{number}"))
    if fact.after:
        patterns.append(re.compile(f"{number}(?:的)?(?:申请)?(?:{fact.after})"))
    return patterns


def _mismatch(
    report: ReportDocument, fact: ProseFact, section: str, stated: Value, snippet: str
) -> Failure | None:
    in_table = _fact_value(report, fact)
    if in_table is None or in_table == stated:
        return None
    first = fact.cells[0]
    return Failure(
        kind="prose_mismatch",
        identity=fact.id,
        section=section,
        table=first.table,
        row="+".join(dict.fromkeys(c.row for c in fact.cells)),
        column="+".join(dict.fromkeys(c.column for c in fact.cells)),
        expected=in_table,
        found=stated,
        message=gettext("第%(section)s部分正文称「%(snippet)s」（%(label)s %(stated)s），表格为 %(in_table)s") % {
            "section": section, "snippet": snippet, "label": fact.label, "stated": stated, "in_table": in_table},
    )


def _as_value(number: Decimal) -> Value:
    return int(number) if number == number.to_integral_value() else number


def _sentence_at(text: str, start: int, end: int) -> str:
    """The sentence (between 。；; or line ends) around text[start:end]."""
    left = max(text.rfind(mark, 0, start) for mark in "。；;\n")
    rights = [i for i in (text.find(mark, end) for mark in "。；;\n") if i >= 0]
    return text[left + 1 : min(rights) if rights else len(text)]


def check_prose_facts(report: ReportDocument) -> list[Failure]:
    """Figures stated in the prose that differ from the table cells they describe."""
    fmt = report.format
    failures: list[Failure] = []
    for section, text in _prose_texts(report):
        for fact in fmt.prose_facts:
            for zero in fact.zero:
                for m in re.finditer(zero, text):
                    failure = _mismatch(report, fact, section, 0, m.group(0))
                    if failure:
                        failures.append(failure)
            for pattern in _fact_patterns(fmt, fact):
                for m in pattern.finditer(text):
                    if m.group("approx") or m.group("more"):
                        continue
                    if fact.context and not re.search(fact.context, _sentence_at(text, m.start(), m.end())):
                        continue
                    stated_fact = fact
                    if fact.including_after and re.match(fact.including_after, text[m.end() :]):
                        stated_fact = dataclasses.replace(fact, cells=fact.including_cells)
                    failure = _mismatch(
                        report, stated_fact, section, _as_value(parse_number(m.group("num"))), m.group(0)
                    )
                    if failure:
                        failures.append(failure)
                    # "行政复议351件，其中结果维持72件…": the breakdown lives in the rest of the clause.
                    clause = re.split(r"[；;。]", text[m.end() :], maxsplit=1)[0]
                    for part in fact.breakdown:
                        for part_pattern in _fact_patterns(fmt, part):
                            pm = part_pattern.search(clause)
                            if pm and not (pm.group("approx") or pm.group("more")):
                                stated = _as_value(parse_number(pm.group("num")))
                                failure = _mismatch(report, part, section, stated, pm.group(0))
                                if failure:
                                    failures.append(failure)
    return failures


_TRIGGER = r"(?:其中|包括|分别为|分别是)"


def check_enumerations(report: ReportDocument) -> list[Failure]:
    """Lists in the prose whose parts do not add up to the total they state.

    A total is "共/总计/合计/累计 … N<unit>" or "N<unit>，其中…"; its parts follow in the same sentence as
    "label N<unit>" in the same unit. It counts as an enumeration when introduced by 其中/包括/分别为 or a
    colon, or when the parts are joined by "、"; approximate figures ("100余条") are not checked.
    """
    fmt = report.format
    if not fmt.enumeration_units:
        return []
    units = "|".join(re.escape(u) for u in fmt.enumeration_units)
    more = _approx_after(fmt)
    num = f"{_APPROX_BEFORE}(?P<num>{NUMBER}){more}(?P<unit>{units})"
    total_res = [
        re.compile(f"(?:共|总计|合计|累计)[^，,。；;、:：\\d]{{0,20}}?{num}"),
        re.compile(f"{num}(?=[，,]?{_TRIGGER})"),
    ]
    lead_re = re.compile(f"[，,]?(?P<trigger>{_TRIGGER})?(?P<colon>[:：])?")
    part_re = re.compile(f"(?P<label>[^，,。；;、:：\\d]{{1,25}}?){num}")
    sep_re = re.compile(r"[、，,]")  # a semicolon ends the clause, and with it the list
    failures = []
    for section, text in _prose_texts(report):
        seen: set[int] = set()
        for total_re in total_res:
            for tm in total_re.finditer(text):
                if tm.end() in seen:
                    continue
                seen.add(tm.end())
                pos = tm.end()
                lead = lead_re.match(text, pos)
                assert lead is not None  # the pattern can match empty
                introduced = bool(lead.group("trigger") or lead.group("colon"))
                pos = lead.end()
                parts: list[tuple[str, re.Match[str]]] = []
                listed = False
                while True:
                    pm = part_re.match(text, pos)
                    if not pm or pm.group("unit") != tm.group("unit"):
                        break
                    parts.append((pm.group("label"), pm))
                    pos = pm.end()
                    sep = sep_re.match(text, pos)
                    if not sep:
                        break
                    listed = listed or sep.group(0) == "、"
                    pos = sep.end()
                if len(parts) < 2 or not (introduced or listed):
                    continue
                if (
                    tm.group("approx")
                    or tm.group("more")
                    or any(p.group("approx") or p.group("more") for _, p in parts)
                ):
                    continue
                total = _as_value(parse_number(tm.group("num")))
                found = _as_value(sum((parse_number(p.group("num")) for _, p in parts), Decimal(0)))
                if found != total:
                    end = parts[-1][1].end()
                    snippet = text[tm.start() : end]
                    addends = " + ".join(p.group("num") for _, p in parts)
                    failures.append(
                        Failure(
                            kind="enumeration",
                            section=section,
                            expected=total,
                            found=found,
                            message=gettext(
                                "第%(section)s部分「%(snippet)s」：分项 %(addends)s = %(found)s，与所称总数 %(total)s 不符"
                            ) % {"section": section, "snippet": snippet, "addends": addends, "found": found,
                                 "total": total},
                        )
                    )
    return failures


def check_unstated(report: ReportDocument) -> list[Failure]:
    """Cells the report printed as no number ("/", "—", "无", blank, figures run together): never a 0."""
    failures = []
    for table_key, rows in report.unstated.items():
        table = report.format.tables.get(table_key)
        if table is None:
            continue
        for row_key, cells in rows.items():
            for col_key, printed in cells.items():
                failures.append(
                    Failure(
                        kind="unstated",
                        section=table.section,
                        table=table_key,
                        row=row_key,
                        column=col_key,
                        found=printed,
                        message=gettext("表「%(table)s」%(row)s.%(column)s 印的是「%(printed)s」，不是数字") % {
                            "table": table.title, "row": row_key, "column": col_key,
                            "printed": printed or gettext("空白")},
                    )
                )
    return failures


def check_report(report: ReportDocument) -> list[Failure]:
    """Every check, in a stable order: completeness, cells without figures, identities, prose, enumerations."""
    return [
        *check_completeness(report),
        *check_unstated(report),
        *check_identities(report),
        *check_prose_facts(report),
        *check_enumerations(report),
    ]
