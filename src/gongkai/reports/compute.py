"""Computing an annual report from the platform's data (按平台数据生成年度报告).

`compute_report(org, year)` builds the report of one organisation on one year, counting that organisation's
own work only (never its subtree — a supervisor's totals live on the dashboard, not in a statutory report):

- 二 from the catalog (规范性文件 made, abolished, in force) and the figures staff entered (`StaffFigures`);
- 三 and 四 from the applications' selectors; the 信息处理费 they collected go into 六;
- 一 drafted from the figures (items per column, other channels, interpretations by form, policy documents,
  applications, appeals, mailbox letters), to be edited by staff; 五 is left for staff to write.

A year with no data at all is not an error: the statute requires a report even then, so the result is an
all-zero report with a warning saying so. Errors (`ComputeError`, naming the field) are for what cannot
be a report: a year before 2008, a year not yet begun, an edition that did not exist in that year.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog.models import Channel, Item
from gongkai.orgs.models import Organisation

from . import sources
from .document import MIN_YEAR, ReportDocument, TableValues, Value
from .document import Organisation as ReportOrganisation
from .models import StaffFigures
from .spec import ReportFormat, format_for_year, load_format


class ComputeError(ValueError):
    """A report that cannot be computed; ``field`` names the input at fault (year, edition, org)."""

    def __init__(self, field_name: str, message: str) -> None:
        self.field = field_name
        self.message = message
        super().__init__(f"{field_name}: {message}")


@dataclass
class ComputedReport:
    """A computed report and what the reader of the draft should know about its sources."""

    document: ReportDocument
    warnings: list[str] = field(default_factory=list)


def choose_format(year: int, edition: str | None = None, *, today: dt.date | None = None) -> ReportFormat:
    """The format for a report on `year`: `edition` if given, else the one in force for that year.

    An edition may be asked for any year from its first on (the 2019 edition "on demand" for 2024, to
    compare with older reports); a year before it, before 2008 or not yet begun is a ComputeError.
    """
    today = today or timezone.localdate()
    if not MIN_YEAR <= year <= today.year:
        raise ComputeError("year", f"年度应在 {MIN_YEAR} 至 {today.year} 之间，不能是 {year}")
    if edition is None:
        try:
            return format_for_year(year)
        except KeyError as exc:
            raise ComputeError("year", f"没有适用于 {year} 年的报告格式") from exc
    try:
        fmt = load_format(edition)
    except KeyError as exc:
        raise ComputeError("edition", str(exc.args[0])) from exc
    if year < fmt.first_year:
        raise ComputeError("edition", f"{fmt.edition} 版格式自 {fmt.first_year} 年起使用，不适用于 {year} 年")
    return fmt


# --- tables ---------------------------------------------------------------------------------------------


def _zero_table(fmt: ReportFormat, table_key: str) -> TableValues:
    table = fmt.table(table_key)
    values: TableValues = {}
    for row in table.data_rows:
        values[row.key] = {c.key: (Decimal(0) if c.type == "decimal" else 0)
                           for c in table.columns_of(row.key) if c.key}
    return values


def _t2(fmt: ReportFormat, org: Organisation, year: int, staff: StaffFigures) -> TableValues:
    values = _zero_table(fmt, "t2")
    normative = catalog_selectors.normative_counts(org, year)
    if fmt.edition == "2019":
        values["rules"] = {"made": staff.rules_issued, "published": staff.rules_issued,
                           "total_public": staff.rules_in_force}
        values["normative_documents"] = {"made": normative.made, "published": normative.issued,
                                         "total_public": normative.in_force}
        values["licensing"] = {"prior_items": staff.licensing_prior_items, "change": staff.licensing_change,
                               "decisions": staff.licensing_decisions}
        values["other_services"] = {"prior_items": staff.other_services_prior_items,
                                    "change": staff.other_services_change,
                                    "decisions": staff.other_services_decisions}
        values["penalties"] = {"prior_items": staff.penalty_prior_items, "change": staff.penalty_change,
                               "decisions": staff.penalty_decisions}
        values["enforcement"] = {"prior_items": staff.enforcement_prior_items,
                                 "change": staff.enforcement_change, "decisions": staff.enforcement_decisions}
        values["fees"] = {"prior_items": staff.fee_items_prior, "change": staff.fee_items_change}
        values["procurement"] = {"projects": staff.procurement_projects,
                                 "amount": Decimal(staff.procurement_amount_wan).normalize()}
    else:
        values["rules"] = {"issued": staff.rules_issued, "repealed": staff.rules_repealed,
                           "in_force": staff.rules_in_force}
        values["normative_documents"] = {"issued": normative.issued, "repealed": normative.repealed,
                                         "in_force": normative.in_force}
        values["licensing"] = {"decisions": staff.licensing_decisions}
        values["penalties"] = {"decisions": staff.penalty_decisions}
        values["enforcement"] = {"decisions": staff.enforcement_decisions}
        values["fees"] = {"amount_wan": Decimal(staff.fees_amount_wan).normalize()}
    _check_shape(fmt, "t2", values)
    return values


def _check_shape(fmt: ReportFormat, table_key: str, values: TableValues) -> None:
    """Guard against a format file and this module drifting apart: every cell, and nothing else."""
    expected = _zero_table(fmt, table_key)
    if {r: set(c) for r, c in expected.items()} != {r: set(c) for r, c in values.items()}:
        raise AssertionError(f"compute and format {fmt.edition} disagree on table {table_key}")


def _t3(fmt: ReportFormat, figures: sources.ApplicationFigures | None) -> TableValues:
    values = _zero_table(fmt, "t3")
    table = fmt.table("t3")
    if figures is not None:
        for row_key, cells in figures.t3.items():
            target = row_key
            if row_key not in values and row_key.startswith("other_") and "other_processing" in values:
                target = "other_processing"  # F2019 has one 其他处理 row where F2021 has three
            if target not in values:
                raise AssertionError(f"applications report row {row_key!r} unknown to format {fmt.edition}")
            for col in sources.APPLICANT_COLUMNS:
                values[target][col] += cells.get(col, 0)
    leaves = [r.key for r in table.row("results").leaves() if r.key != "results_total"]
    for col in sources.APPLICANT_COLUMNS:
        values["results_total"][col] = sum((values[k][col] for k in leaves), 0)
    for row_values in values.values():
        row_values["total"] = sum((row_values[c] for c in sources.APPLICANT_COLUMNS), 0)
    _check_shape(fmt, "t3", values)
    return values


def _t4(fmt: ReportFormat, figures: sources.ApplicationFigures | None) -> TableValues:
    values = _zero_table(fmt, "t4")
    counts = values["counts"]
    for kind in sources.APPEAL_KINDS:
        for outcome in sources.APPEAL_OUTCOMES:
            counts[f"{kind}_{outcome}"] = figures.t4.get(f"{kind}_{outcome}", 0) if figures else 0
        counts[f"{kind}_total"] = sum((counts[f"{kind}_{o}"] for o in sources.APPEAL_OUTCOMES), 0)
    _check_shape(fmt, "t4", values)
    return values


# --- prose ----------------------------------------------------------------------------------------------

_INTERPRETATION_LABELS = {
    Item.InterpretationForm.TEXT: "文字解读",
    Item.InterpretationForm.GRAPHIC: "图文解读",
    Item.InterpretationForm.PRESS_CONFERENCE: "新闻发布会解读",
    Item.InterpretationForm.VIDEO: "视频解读",
}
_CHANNEL_LABELS = {
    Channel.CITY_PORTAL: "政府门户网站",
    Channel.WECHAT: "政务微信",
    Channel.WEIBO: "政务微博",
}


def _fmt_num(value: Value) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def _listing(total: int, parts: list[tuple[str, int]], unit: str) -> str:
    """ "N条，其中A a条、B b条" with the parts adding up to the total by construction."""
    shown = [(label, n) for label, n in parts if n]
    if len(shown) >= 2:
        return f"{total}{unit}，其中" + "、".join(f"{label}{n}{unit}" for label, n in shown)
    if len(shown) == 1:
        return f"{total}{unit}，均为{shown[0][0]}"
    return f"{total}{unit}"


def _proactive(org: Organisation, year: int, normative: catalog_selectors.NormativeCounts) -> str:
    by_column = catalog_selectors.published_counts_by_column(org, year)
    total = sum(n for _, n in by_column)
    sentences = []
    if total:
        sentences.append(f"{year}年，本机关通过政府信息公开平台全年共主动公开政府信息{_listing(total, by_column, '条')}。")
    else:
        sentences.append(f"{year}年，本机关未通过政府信息公开平台主动公开政府信息。")
    channels = catalog_selectors.channel_counts(org, year)
    other = [(label, channels.get(key, 0)) for key, label in _CHANNEL_LABELS.items() if channels.get(key)]
    if other:
        sentences.append("除本机关网站外，同步在" + "、".join(f"{label}发布{n}条" for label, n in other) + "。")
    policies = catalog_selectors.policy_documents_published(org, year)
    sentences.append(
        f"发布政策文件{policies}件；制发行政规范性文件{normative.issued}件，废止{normative.repealed}件，"
        f"截至{year}年底现行有效{normative.in_force}件。"
    )
    interpretations = catalog_selectors.interpretation_counts(org, year)
    parts = [(label, interpretations.get(form, 0)) for form, label in _INTERPRETATION_LABELS.items()]
    n_interp = sum(n for _, n in parts)
    if n_interp:
        sentences.append(f"围绕政策文件全年共发布政策解读{_listing(n_interp, parts, '件')}。")
    else:
        sentences.append("本年度未发布政策解读。")
    return "（一）主动公开情况。" + "".join(sentences)


def _on_request(t3: TableValues, t4: TableValues, fees_yuan: Decimal | None) -> str:
    new, carried = t3["new"]["total"], t3["carried_over"]["total"]
    sentences = []
    if new:
        applicants = [
            ("自然人", t3["new"]["natural_person"]), ("商业企业", t3["new"]["commercial"]),
            ("科研机构", t3["new"]["research"]), ("社会公益组织", t3["new"]["public_interest"]),
            ("法律服务机构", t3["new"]["legal_services"]), ("其他组织", t3["new"]["other_org"]),
        ]
        sentences.append(f"本年新收政府信息公开申请{_listing(int(new), [(a, int(n)) for a, n in applicants], '件')}；")
    else:
        sentences.append("本年未收到政府信息公开申请；")
    sentences.append(f"上年结转政府信息公开申请{carried}件。")
    done = t3["results_total"]["total"]
    if done:
        groups = [
            ("予以公开", ["disclosed"]), ("部分公开", ["partly_disclosed"]),
            ("不予公开", [k for k in t3 if k.startswith("withheld_")]),
            ("无法提供", [k for k in t3 if k.startswith("unavailable_")]),
            ("不予处理", [k for k in t3 if k.startswith("not_processed_")]),
            ("其他处理", [k for k in t3 if k.startswith("other_")]),
        ]
        parts = [(label, int(sum((t3[k]["total"] for k in keys), 0))) for label, keys in groups]
        sentences.append(f"本年度办结{_listing(int(done), parts, '件')}。")
    sentences.append(f"结转下年度继续办理{t3['carried_forward']['total']}件。")
    counts = t4["counts"]
    review = counts["review_total"]
    if review:
        sentences.append(
            f"因政府信息公开工作被申请行政复议{review}件，其中结果维持{counts['review_upheld']}件，"
            f"结果纠正{counts['review_corrected']}件，其他结果{counts['review_other']}件，"
            f"尚未审结{counts['review_pending']}件。"
        )
    else:
        sentences.append("未发生因政府信息公开工作被申请行政复议的情况。")
    suits = counts["direct_total"] + counts["after_review_total"]
    if suits:
        parts_l = {o: counts[f"direct_{o}"] + counts[f"after_review_{o}"] for o in sources.APPEAL_OUTCOMES}
        sentences.append(
            f"因政府信息公开工作被提起行政诉讼{suits}件，其中结果维持{parts_l['upheld']}件，"
            f"结果纠正{parts_l['corrected']}件，其他结果{parts_l['other']}件，尚未审结{parts_l['pending']}件。"
        )
    else:
        sentences.append("未发生因政府信息公开工作被提起行政诉讼的情况。")
    if fees_yuan:
        sentences.append(f"依法收取信息处理费{_fmt_num(fees_yuan)}元。")
    return "（二）依申请公开情况。" + "".join(sentences)


def _management(org: Organisation, year: int, mailbox: sources.MailboxFigures | None) -> list[str]:
    paragraphs = [
        "（三）政府信息管理情况。本机关发布的政府信息均经初审、保密审查和签发后公开，坚持“先审查、后公开”，"
        "按规定标注索引号、文号、成文日期、有效性等要素，规范性文件的施行、废止情况在平台中同步更新。"
    ]
    columns = catalog_selectors.columns_of(org).count()
    platform = f"（四）政府信息公开平台建设情况。本机关在政府信息公开平台设置公开栏目{columns}个，"
    platform += "提供信息检索、查阅和下载功能。"
    if mailbox is not None:
        if mailbox.received:
            platform += (
                f"局长信箱全年收到来信{mailbox.received}件，已答复{mailbox.answered}件，"
                f"公开答复{mailbox.published}件。"
            )
        else:
            platform += "局长信箱全年未收到来信。"
    paragraphs.append(platform)
    return paragraphs


def draft_section_one(
    org: Organisation, year: int, t3: TableValues, t4: TableValues,
    fees_yuan: Decimal | None, mailbox: sources.MailboxFigures | None,
) -> str:
    """Section 一 (总体情况) drafted from the figures, paragraph by paragraph, for staff to edit."""
    normative = catalog_selectors.normative_counts(org, year)
    return "\n".join([
        f"{year}年，{org.name}认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。现将有关情况报告如下。",
        _proactive(org, year, normative),
        _on_request(t3, t4, fees_yuan),
        *_management(org, year, mailbox),
    ])


def draft_section_six(fees_yuan: Decimal | None) -> str:
    """Section 六 (其他需要报告的事项): the processing fees (信息处理费), for staff to complete."""
    if fees_yuan:
        return f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{_fmt_num(fees_yuan)}元。"
    return "本年度未收取政府信息公开信息处理费。"


def preamble(org: Organisation, year: int) -> str:
    """The opening paragraph: who compiled the report, the period, where to get it, whom to ask."""
    office = org.office_name if len(org.office_name) > 4 else f"{org.name}{org.office_name}"  # "办公室" alone
    text = (
        f"本报告由{org.name}根据《中华人民共和国政府信息公开条例》（以下简称《条例》）规定编制。"
        f"报告所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。"
    )
    if org.website:
        text += f"本报告电子版可在{org.website}下载。"
    contacts = [(label, value) for label, value in (
        ("地址", org.address), ("邮编", org.postcode), ("电话", org.phone), ("电子邮箱", org.email),
    ) if value]
    if contacts:
        text += f"如对本报告有疑问，请与{office}联系（" + "；".join(f"{k}：{v}" for k, v in contacts) + "）。"
    return text


def compute_report(
    org: Organisation, year: int, edition: str | None = None, *, today: dt.date | None = None
) -> ComputedReport:
    """The report of `org` on `year` from the platform's data (see the module docstring)."""
    today = today or timezone.localdate()
    fmt = choose_format(year, edition, today=today)
    warnings: list[str] = []
    if year == today.year:
        warnings.append(f"{year} 年尚未结束，报告数据截至 {today:%Y-%m-%d}。")
    staff = StaffFigures.objects.filter(organisation=org, year=year).first()
    if staff is None:
        warnings.append("尚未填报本年度人工数据（规章、行政许可、行政处罚、行政强制、行政事业性收费等），相应栏目按 0 计。")
        staff = StaffFigures(organisation=org, year=year)
    applications = sources.application_figures(org, year)
    if applications is None:
        warnings.append("依申请公开模块尚未提供年度报告数据，第三、四部分按 0 计。")
    mailbox = sources.mailbox_figures(org, year)
    t2, t3, t4 = _t2(fmt, org, year, staff), _t3(fmt, applications), _t4(fmt, applications)
    fees = applications.fees_yuan if applications else None
    document = ReportDocument(
        format=fmt,
        organisation=ReportOrganisation(name=org.name, code=org.code),
        year=year,
        preamble=preamble(org, year),
        sections={
            "一": draft_section_one(org, year, t3, t4, fees, mailbox),
            "六": draft_section_six(fees),
        },
        tables={"t2": t2, "t3": t3, "t4": t4},
    )
    if not _has_data(t2, t3, t4, staff, org, year, mailbox):
        warnings.append(f"平台中没有本机关 {year} 年的任何数据（公开信息、申请、人工填报），报告各表均为 0，请核实后再发布。")
    warnings.append("第五部分（存在的主要问题及改进情况）须由工作人员撰写。")
    if not fmt.applies_to(year):
        warnings.append(f"按要求使用 {fmt.edition} 版格式；{year} 年适用的法定格式是 {format_for_year(year).edition} 版。")
    return ComputedReport(document=document, warnings=warnings)


def _has_data(
    t2: TableValues, t3: TableValues, t4: TableValues, staff: StaffFigures, org: Organisation, year: int,
    mailbox: sources.MailboxFigures | None,
) -> bool:
    if staff.pk is not None:
        return True
    if any(v for table in (t2, t3, t4) for cells in table.values() for v in cells.values()):
        return True
    if mailbox is not None and mailbox.received:
        return True
    return bool(catalog_selectors.published_counts_by_column(org, year))
