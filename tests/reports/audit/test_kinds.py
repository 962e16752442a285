"""Each real report made into every input kind (text, HTML with and without table markup, DOCX, a PDF whose
figures run together) is read into the same tables and judged the same way as the original.

Where the figures run together, a row is either cut exactly as printed (the only cut that satisfies its own
identity) or left unread as ambiguous: never read wrongly, and never the cause of a finding the original
does not have.
"""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from gongkai.reports.audit.findings import AuditResult
from gongkai.reports.audit.run import audit_bytes, audit_layout
from tests.reports.audit.derive import KINDS, REAL_PDFS, SEED, real_layout

REPORTS = [*REAL_PDFS, SEED]
EXACT_KINDS = ["text", "text-tabs", "html-table", "html-plain", "docx"]
RUN_KINDS = ["text-runs", "html-runs", "pdf-runs"]
KIND_OF_INPUT = {"text": "text", "text-tabs": "text", "text-runs": "text", "html-table": "html", "html-plain": "html",
                 "html-runs": "html", "docx": "docx", "pdf-runs": "pdf"}


@cache
def original(name: str) -> AuditResult:
    return audit_layout(real_layout(name), name)


@cache
def derived(name: str, kind: str) -> AuditResult:
    return audit_bytes(KINDS[kind](real_layout(name)), f"{name}.{kind}")


def _findings(result: AuditResult) -> list[tuple[Any, ...]]:
    return sorted(
        (f.kind, f.severity, f.place.section, f.place.row, f.place.column, str(f.expected), str(f.found))
        for f in result.findings
    )


@pytest.mark.parametrize("kind", EXACT_KINDS)
@pytest.mark.parametrize("name", REPORTS)
def test_every_kind_reads_the_same_tables_and_finds_the_same_defects(name: str, kind: str) -> None:
    source, result = original(name), derived(name, kind)
    assert result.input_kind == KIND_OF_INPUT[kind]
    assert (result.format, result.year, result.organisation) == (source.format, source.year, source.organisation)
    assert result.document is not None and source.document is not None
    assert result.document["tables"] == source.document["tables"]
    assert _findings(result) == _findings(source)


@pytest.mark.parametrize("kind", RUN_KINDS)
@pytest.mark.parametrize("name", REPORTS)
def test_figures_run_together_are_cut_right_or_not_at_all(name: str, kind: str) -> None:
    source, result = original(name), derived(name, kind)
    assert result.document is not None and source.document is not None
    read_rows = 0
    for table, rows in source.document["tables"].items():
        for row, cells in rows.items():
            got = result.document["tables"].get(table, {}).get(row)
            unstated = result.document.get("unstated", {}).get(table, {}).get(row, {})
            if got == cells:
                read_rows += 1
            else:
                # Not read: every cell of the row is kept as printed, none is claimed as a figure.
                assert got in ({}, None) and set(unstated) == set(cells), (table, row, got, unstated)
    assert read_rows >= 0.7 * sum(len(rows) for rows in source.document["tables"].values())
    original_findings = set(_findings(source))
    for finding in _findings(result):
        assert finding in original_findings or finding[0] == "ambiguous", finding
