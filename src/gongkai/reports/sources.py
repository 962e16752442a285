"""Where a report's figures come from (数据来源): named figures that the formats' ``sources`` refer to.

A format says, in data, that the cell 二 › 行政规范性文件 › 本年制发件数 is ``catalog.normative.issued`` and that
the row 三 › 本年新收 is ``applications.t3.new`` (a mapping by applicant column). This module answers such names
for one organisation and one period: each *provider* (one per namespace, such as ``catalog.normative`` or
``mailbox``) reads the app it names through that app's selectors, once per report, and returns plain data;
`Figures.get("a.b.c")` finds the longest registered namespace and walks the rest of the name into its data.

Namespaces: ``staff`` (the disclosure report's `StaffFigures`), ``input`` (the figures staff enter for other
formats), ``catalog.*``, ``applications.*``, ``mailbox``, ``consultations``, ``org`` (the site's particulars),
``site.*`` (the website report's catalog counts), ``visits``, ``channels``, ``platform``, and ``inspection``
(registered by the inspection app, which sits above reports). A new format may use any of them without code; a
figure nobody provides yet is a new provider here (or `register_provider` from the app that knows it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.utils.translation import gettext

from gongkai.applications import selectors as applications_selectors
from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog.models import Channel
from gongkai.interaction import selectors as interaction_selectors
from gongkai.orgs.models import Organisation
from gongkai.sites.selectors import site_of
from gongkai.visits import selectors as visits_selectors

from .models import FIGURE_FIELDS, ReportInputs, StaffFigures
from .spec import FormatSpecError, ReportFormat

# Figures printed in the website annual report as its format words them: report content, not interface text.
__i18n_exempt__ = ("_org", "_platform")

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


def application_figures(org: Organisation, year: int) -> ApplicationFigures:
    """Tables 三 and 四 and the fees, from the applications' selectors."""
    raw_t3 = applications_selectors.t3_counts(org, year)
    raw_t4 = applications_selectors.t4_counts(org, year)
    t3 = {
        row: {col: int(cells.get(col, 0)) for col in APPLICANT_COLUMNS}
        for row, cells in raw_t3.items()
        if row != "results_total"  # a total: the format's identities give it
    }
    t4 = {f"{kind}_{outcome}": int(raw_t4.get(f"{kind}_{outcome}", 0))
          for kind in APPEAL_KINDS for outcome in APPEAL_OUTCOMES}
    return ApplicationFigures(t3=t3, t4=t4, fees_yuan=applications_selectors.fees_collected(org, year))


# --- the resolver ---------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The named figures of one organisation over one period, read on demand, each provider once.

    `warnings` collects what the providers found missing (no staff figures yet); `has_data` tells whether any
    figure read was a non-zero number or a non-empty list, or staff entered figures for the period.
    """

    org: Organisation
    fmt: ReportFormat
    start: dt.date
    end: dt.date
    today: dt.date
    warnings: list[str] = field(default_factory=list)
    entered: bool = False
    _read: dict[str, Any] = field(default_factory=dict)
    _nonzero: bool = False

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def has_data(self) -> bool:
        return self.entered or self._nonzero

    def get(self, name: str) -> Any:
        parts = name.split(".")
        for n in range(len(parts), 0, -1):
            namespace = ".".join(parts[:n])
            provider = PROVIDERS.get(namespace)
            if provider is None:
                continue
            if namespace not in self._read:
                self._read[namespace] = provider(self)
            value = self._read[namespace]
            for i, part in enumerate(parts[n:], start=n):
                try:
                    value = value[part]
                except (KeyError, TypeError, IndexError):
                    raise FormatSpecError(
                        f"format {self.fmt.edition}: figure {name!r} does not exist "
                        f"({'.'.join(parts[:i])} has no {part!r})"
                    ) from None
            if not self._nonzero and namespace not in SETUP and _has_value(value):
                self._nonzero = True
            return value
        raise FormatSpecError(f"format {self.fmt.edition}: no provider answers the figure {name!r}")


def _has_value(value: Any) -> bool:
    if isinstance(value, (bool, str)):
        return False
    if isinstance(value, (int, Decimal, float)):
        return value != 0
    if isinstance(value, Mapping):
        return any(_has_value(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return bool(value)
    return False


class _Rows(dict[str, Any]):
    """Rows of counts where a row nobody counted is all zeros (a result no application had this year)."""

    def __init__(self, rows: Mapping[str, Any], columns: tuple[str, ...]) -> None:
        super().__init__(rows)
        self.columns = columns

    def __missing__(self, key: str) -> dict[str, int]:
        return dict.fromkeys(self.columns, 0)


# --- providers ------------------------------------------------------------------------------------------

Provider = Callable[[Figures], Any]


def _staff(f: Figures) -> dict[str, Any]:
    row = StaffFigures.objects.filter(organisation=f.org, year=f.year).first()
    if row is None:
        _missing_inputs(f)
        row = StaffFigures(organisation=f.org, year=f.year)
    else:
        f.entered = True
    return {name: getattr(row, name) for name in FIGURE_FIELDS}


def _input(f: Figures) -> dict[str, Any]:
    stored = ReportInputs.objects.filter(organisation=f.org, year=f.year, family=f.fmt.family).first()
    if stored is None:
        _missing_inputs(f)
    else:
        f.entered = True
    values = stored.values if stored is not None else {}
    result: dict[str, Any] = {}
    for entry in f.fmt.inputs.fields if f.fmt.inputs else ():
        value = values.get(entry.key)
        if entry.type == "text":
            result[entry.key] = value or ""
        elif entry.type == "boolean":
            result[entry.key] = bool(value)
        elif entry.type == "decimal":
            result[entry.key] = Decimal(str(value or 0))
        else:
            result[entry.key] = int(value or 0)
    return result


def _missing_inputs(f: Figures) -> None:
    summary = f.fmt.inputs.summary if f.fmt.inputs else ""
    f.warnings.append(gettext("尚未填报本年度人工数据（%(summary)s），相应栏目按 0 计。") % {"summary": summary}
                      if summary else gettext("尚未填报本年度人工数据，相应栏目按 0 计。"))


def _applications(f: Figures) -> dict[str, Any]:
    # `application_figures` is looked up when called, so that tests can stand in for the applications app.
    figures = application_figures(f.org, f.year)
    return {"t3": _Rows(figures.t3, APPLICANT_COLUMNS), "t4": figures.t4, "fees_yuan": figures.fees_yuan}


def _normative(f: Figures) -> dict[str, int]:
    return asdict(catalog_selectors.normative_counts(f.org, f.year))


def _mailbox(f: Figures) -> dict[str, Any]:
    figures = interaction_selectors.mailbox_figures([f.org.pk], f.start, f.end, today=f.today)
    data = asdict(figures)
    mean = figures.mean_reply_days
    data["average_days"] = (Decimal(str(mean)).quantize(Decimal("0.1"), ROUND_HALF_UP)
                            if mean is not None else Decimal(0))
    data["reply_rate"] = (Decimal(figures.answered * 100) / figures.valid).quantize(Decimal("0.1"), ROUND_HALF_UP) \
        if figures.valid else Decimal(0)
    return data


def _consultations(f: Figures) -> dict[str, int]:
    figures = interaction_selectors.consultation_figures([f.org.pk], f.start, f.end)
    return {"held": figures.consultations, "opinions": figures.comments, "results_published": figures.feedback_published}


def _org(f: Figures) -> dict[str, str]:
    site = site_of(f.org)
    conventions = site.conventions_dict()
    police = conventions.get("police_record_number", "")
    region = conventions.get("police_record_region", "")
    return {
        "name": f.org.name,
        "site_name": site.name if site.organisation_id == f.org.pk else f.org.name,
        "home_url": site.home_url_of(f.org) if site.has_own_address else f.org.website or site.home_url_of(f.org),
        "sponsor": f.org.name,
        "site_kind": "政府门户网站" if f.org.kind == Organisation.Kind.GOVERNMENT else "部门网站",
        "site_code": conventions.get("site_code", ""),
        "icp_number": conventions.get("icp_number", ""),
        "police_record": f"{region}公网安备{police}号" if police else "",
    }


def _site_items(f: Figures) -> dict[str, int]:
    return asdict(catalog_selectors.website_update_counts(f.org, f.start, f.end))


def _site_topics(f: Figures) -> dict[str, int]:
    return asdict(catalog_selectors.special_topic_counts(f.org, f.start, f.end))


def _site_interpretations(f: Figures) -> dict[str, int]:
    by_form = catalog_selectors.interpretation_counts(f.org, f.year)
    materials = by_form.get("text", 0)
    return {"materials": materials, "products": sum(by_form.values()) - materials}


def _visits(f: Figures) -> dict[str, int]:
    views, visitors = visits_selectors.totals([f.org.pk], f.start, f.end)
    return {"views": views, "visitors": visitors}


def _channels(f: Figures) -> dict[str, Any]:
    counts = catalog_selectors.channel_counts_between(f.org, f.start, f.end)
    data: dict[str, Any] = {channel: counts.get(channel, 0) for channel in Channel.values}
    data["new_media"] = data[Channel.WECHAT] + data[Channel.WEIBO]
    data["has_new_media"] = bool(data["new_media"])
    return data


def _platform(f: Figures) -> dict[str, Any]:
    """What the platform itself offers every site (the portal's display modes and search)."""
    return {"accessibility": True, "elder_mode": True, "search": True, "other_innovations": "长者模式（适老化浏览）"}


PROVIDERS: dict[str, Provider] = {
    "staff": _staff,
    "input": _input,
    "applications": _applications,
    "catalog.normative": _normative,
    "catalog.published_by_column": lambda f: catalog_selectors.published_counts_by_column(f.org, f.year),
    "catalog.channels": lambda f: catalog_selectors.channel_counts(f.org, f.year),
    "catalog.interpretations": lambda f: catalog_selectors.interpretation_counts(f.org, f.year),
    "catalog.policy_documents": lambda f: catalog_selectors.policy_documents_published(f.org, f.year),
    "catalog.columns": lambda f: catalog_selectors.columns_of(f.org).count(),
    "mailbox": _mailbox,
    "consultations": _consultations,
    "org": _org,
    "site.items": _site_items,
    "site.topics": _site_topics,
    "site.interpretations": _site_interpretations,
    "visits": _visits,
    "channels": _channels,
    "platform": _platform,
}


# Figures that describe how the site is set up rather than the year's work: they do not make a year "have data".
SETUP = frozenset({"catalog.columns", "org", "platform"})


def register_provider(namespace: str, provider: Provider) -> None:
    """Answer the figures under `namespace` with `provider`: how an app above reports offers its figures
    (the website self-inspection registers ``inspection`` in its AppConfig.ready, as reports may not import it)."""
    PROVIDERS[namespace] = provider
