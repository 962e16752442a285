"""What the report reads from other apps (数据来源), each behind one small function.

Reports read the applications (依申请公开) and the mailbox (局长信箱) only through those apps' selectors.
Each function here is the one place that calls them. `application_figures` answers None when the
applications app offers no such reads (it was built alongside), so that `compute` says so in a warning.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass
from decimal import Decimal
from types import ModuleType

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


def _selectors(app: str) -> ModuleType | None:
    try:
        return importlib.import_module(f"gongkai.{app}.selectors")
    except ModuleNotFoundError as exc:
        if exc.name != f"gongkai.{app}.selectors":
            raise
        return None


def application_figures(org: Organisation, year: int) -> ApplicationFigures | None:
    """Tables 三 and 四 and the fees, from ``gongkai.applications.selectors`` (``t3_counts``, ``t4_counts``,
    ``fees_collected``); None while that module offers no such reads."""
    selectors = _selectors("applications")
    reads = [getattr(selectors, name, None) for name in ("t3_counts", "t4_counts", "fees_collected")]
    if selectors is None or any(read is None for read in reads):
        return None
    t3_counts, t4_counts, fees_collected = reads
    assert t3_counts is not None and t4_counts is not None and fees_collected is not None
    raw_t3: dict[str, dict[str, int]] = t3_counts(org, year)
    raw_t4: dict[str, int] = t4_counts(org, year)
    t3 = {
        row: {col: int(cells.get(col, 0)) for col in APPLICANT_COLUMNS}
        for row, cells in raw_t3.items()
        if row != "results_total"  # recomputed from its rows by compute
    }
    t4 = {f"{kind}_{outcome}": int(raw_t4.get(f"{kind}_{outcome}", 0))
          for kind in APPEAL_KINDS for outcome in APPEAL_OUTCOMES}
    return ApplicationFigures(t3=t3, t4=t4, fees_yuan=Decimal(fees_collected(org, year)))


def mailbox_figures(org: Organisation, year: int) -> MailboxFigures:
    """Letters `org` received in `year`: how many, how many answered (by now), how many published (选登)."""
    from gongkai.interaction.selectors import mailbox_figures as read

    figures = read([org.pk], dt.date(year, 1, 1), dt.date(year, 12, 31))
    return MailboxFigures(received=figures.received, answered=figures.answered, published=figures.published)
