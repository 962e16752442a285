"""What the report reads from other apps (数据来源), each behind one small function.

Reports read the applications (依申请公开) and the mailbox (局长信箱) only through those apps' selectors.
Each function here is the one place that calls them, and answers None when the app offers no such read
(for instance while it is being built), so that `compute` can say so in a warning instead of failing.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from decimal import Decimal
from types import ModuleType
from typing import Any

from gongkai.orgs.models import Organisation

# The applicant columns of table 三 (both formats), in printed order; "total" is computed from them.
APPLICANT_COLUMNS: tuple[str, ...] = (
    "natural_person", "commercial", "research", "public_interest", "legal_services", "other_org",
)
# The outcome columns of table 四 for one kind of appeal; "<prefix>_total" is computed from them.
APPEAL_KINDS: tuple[str, ...] = ("review", "direct", "after_review")
APPEAL_OUTCOMES: tuple[str, ...] = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class ApplicationFigures:
    """依申请公开 figures of one organisation and year, keyed as table 三 and 四 of F2021.

    ``t3[row][column]``: rows ``new``, ``carried_over``, the F2021 result leaves (``disclosed`` …
    ``other_misc``) and ``carried_forward``; columns the six applicant kinds (no totals).
    ``t4["review_upheld"]`` …: the twelve outcome cells (no totals). ``fees_yuan``: 信息处理费 collected.
    """

    t3: dict[str, dict[str, int]]
    t4: dict[str, int]
    fees_yuan: Decimal = Decimal(0)


@dataclass(frozen=True)
class MailboxFigures:
    """局长信箱 letters of one organisation received in the year, answered, and published (公开)."""

    received: int
    answered: int
    published: int
    extra: dict[str, Any] = field(default_factory=dict)


def _selectors(app: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"gongkai.{app}.selectors")
    except ModuleNotFoundError as exc:
        if exc.name != f"gongkai.{app}.selectors":
            raise
        return None


def application_figures(org: Organisation, year: int) -> ApplicationFigures | None:
    """Tables 三 and 四 and the fees, from ``gongkai.applications.selectors``; None if it has no such read."""
    selectors = _selectors("applications")
    read = getattr(selectors, "annual_report_figures", None) if selectors else None
    if read is None:
        return None
    data = read(org, year)
    t3 = {row: {col: int(cells.get(col, 0)) for col in APPLICANT_COLUMNS} for row, cells in data["t3"].items()}
    t4 = {f"{kind}_{outcome}": int(data["t4"].get(f"{kind}_{outcome}", 0))
          for kind in APPEAL_KINDS for outcome in APPEAL_OUTCOMES}
    return ApplicationFigures(t3=t3, t4=t4, fees_yuan=Decimal(data.get("fees_yuan", 0)))


def mailbox_figures(org: Organisation, year: int) -> MailboxFigures | None:
    """Letters received, answered and published, from ``gongkai.interaction.selectors``; None if absent."""
    selectors = _selectors("interaction")
    read = getattr(selectors, "annual_report_figures", None) if selectors else None
    if read is None:
        return None
    data = read(org, year)
    return MailboxFigures(
        received=int(data["received"]), answered=int(data["answered"]), published=int(data["published"])
    )
