"""What the auditor reports (审查发现): findings, and the result of auditing one source.

A finding says what kind of defect it is, how sure we are (error: the report is wrong as printed; warning:
the report departs from the format or from what is plausible; uncertain: we could not read something well
enough to judge), where it is (section, table, row, column, or the quoted sentence), what was expected and
what was found. The JSON shape is an interface (``gongkai audit --format json``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Literal

from django.utils.translation import gettext, gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

Severity = Literal["error", "warning", "uncertain"]
SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "uncertain": 2}
SEVERITY_LABELS: dict[str, StrPromise] = {
    "error": gettext_lazy("错误"), "warning": gettext_lazy("警告"), "uncertain": gettext_lazy("存疑"),
}

# The kinds, with the Chinese name staff see (xlsx, workspace, text output).
KIND_LABELS: dict[str, StrPromise] = {
    "unreadable": gettext_lazy("无法读取"),
    "not_a_report": gettext_lazy("不是政府信息公开工作年度报告"),
    "wrong_format": gettext_lazy("格式与年度不符"),
    "format_unknown": gettext_lazy("无法确定格式"),
    "layout": gettext_lazy("表格样式与格式不符"),
    "missing_section": gettext_lazy("缺少部分"),
    "misnumbered_section": gettext_lazy("部分序号错误"),
    "missing_table": gettext_lazy("缺少表格"),
    "missing_row": gettext_lazy("缺少行"),
    "missing_cell": gettext_lazy("缺少数据"),
    "placeholder": gettext_lazy("以占位符代替数字"),
    "ambiguous": gettext_lazy("数字无法唯一拆分"),
    "invalid_value": gettext_lazy("数据不合规"),
    "identity": gettext_lazy("勾稽关系不成立"),
    "rule": gettext_lazy("数据不合理"),
    "prose_mismatch": gettext_lazy("正文与表格不符"),
    "enumeration": gettext_lazy("分项之和与总数不符"),
    "cross_year": gettext_lazy("跨年度数据不衔接"),
    "unrecognised": gettext_lazy("未能识别"),
}


@dataclass(frozen=True)
class Place:
    """Where a finding is: any of section (一…六), table (t2…t4), row and column keys with their printed
    labels, and a quoted sentence."""

    section: str | None = None
    table: str | None = None
    row: str | None = None
    column: str | None = None
    row_label: str | None = None
    column_label: str | None = None
    quote: str | None = None

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v is not None}

    def describe(self) -> str:
        """The place in words, for people (第三部分 表三 「一、本年新收…」行 「总计」列)."""
        parts = []
        if self.section:
            parts.append(gettext("第%(section)s部分") % {"section": self.section})
        if self.row_label:
            parts.append(gettext("「%(row)s」行") % {"row": self.row_label})
        elif self.row:
            parts.append(gettext("%(row)s 行") % {"row": self.row})
        if self.column_label:
            parts.append(gettext("「%(column)s」列") % {"column": self.column_label})
        elif self.column:
            parts.append(gettext("%(column)s 列") % {"column": self.column})
        if self.quote:
            parts.append(f"“{self.quote}”")
        return " ".join(parts)


def _shown(value: Any) -> str:
    """A value as people read it: lists joined, None as nothing."""
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value.normalize())
    return value


@dataclass(frozen=True)
class Finding:
    """One defect (or doubt) found in a report."""

    kind: str
    severity: Severity
    place: Place
    message: str
    expected: Any = None
    found: Any = None
    rule: str | None = None  # the identity or rule id (E1, I2, R1, C1, P4 …) where there is one

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "severity": self.severity,
            "place": self.place.as_dict(),
            "expected": _plain(self.expected),
            "found": _plain(self.found),
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Finding:
        """A finding from its JSON form (as stored with an audited report)."""
        place = {k: v for k, v in (data.get("place") or {}).items() if k in Place.__dataclass_fields__}
        severity = data.get("severity") if data.get("severity") in SEVERITY_ORDER else "uncertain"
        return cls(
            kind=str(data.get("kind", "")), severity=severity, place=Place(**place),  # type: ignore[arg-type]
            message=str(data.get("message", "")), expected=data.get("expected"), found=data.get("found"),
        )

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def shown_expected(self) -> str:
        return _shown(self.expected)

    @property
    def shown_found(self) -> str:
        return _shown(self.found)

    @property
    def severity_label(self) -> str:
        return str(SEVERITY_LABELS[self.severity])

    def sort_key(self) -> tuple[Any, ...]:
        return (
            SEVERITY_ORDER[self.severity],
            self.place.section or "",
            self.place.table or "",
            self.kind,
            self.place.row or "",
            self.place.column or "",
            self.message,
        )


@dataclass
class AuditResult:
    """The audit of one source (a file or an address): what was recognised and what was found.

    ``readable`` is False when the source could not be read as an annual report at all (exit status 2).
    ``document`` is the rebuilt report's JSON form when there is one.
    """

    source: str
    format: str | None = None
    year: int | None = None
    organisation: str | None = None
    findings: list[Finding] = field(default_factory=list)
    readable: bool = True
    input_kind: str | None = None  # text, html, docx, pdf
    document: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "format": self.format,
            "year": self.year,
            "organisation": self.organisation,
            "findings": [f.as_dict() for f in self.findings],
        }

    @property
    def clean(self) -> bool:
        return self.readable and not self.findings

    def counts(self) -> dict[str, int]:
        result = {"error": 0, "warning": 0, "uncertain": 0}
        for f in self.findings:
            result[f.severity] += 1
        return result


def unreadable(source: str, message: str, *, kind: str = "unreadable", input_kind: str | None = None) -> AuditResult:
    """The result for a source that could not be audited: one finding saying why."""
    return AuditResult(
        source=source,
        readable=False,
        input_kind=input_kind,
        findings=[Finding(kind=kind, severity="error", place=Place(), message=message)],
    )
