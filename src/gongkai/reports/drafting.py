"""Drafting a report's prose from its figures (起草文字), for staff to edit.

A format names how each prose part is drafted: a drafter registered here (the disclosure report's 总体情况 is
several paragraphs of conditional sentences, which a template cannot say well), or a template in the format
itself whose ``{…}`` fields are figures, cells, the year, the organisation or today's date. A new format with
simple prose needs only templates; a new drafter is a function here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from gongkai.catalog.models import Channel, Item
from gongkai.orgs.models import Organisation

from .document import TableValues, Value
from .render.layout import format_value
from .sources import APPEAL_OUTCOMES, Figures
from .spec import Drafting, FormatSpecError


@dataclass(frozen=True)
class DraftContext:
    """What a drafter may read: the organisation, the year, the tables just computed and the figures."""

    org: Organisation
    year: int
    tables: dict[str, TableValues]
    figures: Figures
    today: dt.date


Drafter = Callable[[DraftContext], str]

# The drafts are the text of a statutory report, in the wording the formats prescribe and the auditor reads back:
# content, not interface text, so they stay Chinese whatever the interface's language (docs/architecture.md,
# "Language").
__i18n_exempt__ = (
    "_printed", "fill_template", "_INTERPRETATION_LABELS", "_CHANNEL_LABELS", "_listing", "_proactive",
    "_on_request", "_management", "disclosure_overview", "disclosure_fees", "disclosure_preamble",
)


# --- templates ------------------------------------------------------------------------------------------

_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.:]*)\}")


def _printed(value: Any) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, Decimal)):
        return format_value(value)
    return "" if value is None else str(value)


def fill_template(template: str, ctx: DraftContext) -> str:
    """The template with each ``{field}`` replaced: ``year``, ``organisation``, ``today``, ``cell:t.row.col``
    or a figure name. An unknown field is a FormatSpecError naming it."""

    def field(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "year":
            return str(ctx.year)
        if name == "organisation":
            return ctx.org.name
        if name == "today":
            return f"{ctx.today.year}年{ctx.today.month}月{ctx.today.day}日"
        if name.startswith("cell:"):
            try:
                table, row, column = name[5:].split(".")
                return _printed(ctx.tables[table][row][column])
            except (ValueError, KeyError):
                raise FormatSpecError(f"template field {{{name}}}: no such cell") from None
        return _printed(ctx.figures.get(name))

    return _FIELD.sub(field, template)


def draft(drafting: Drafting, ctx: DraftContext) -> str:
    if drafting.template is not None:
        return fill_template(drafting.template, ctx)
    assert drafting.drafter is not None
    try:
        drafter = DRAFTERS[drafting.drafter]
    except KeyError:
        raise FormatSpecError(f"unknown drafter {drafting.drafter!r}; known: {', '.join(DRAFTERS)}") from None
    return drafter(ctx)


# --- the disclosure annual report (政府信息公开工作年度报告) ---------------------------------------------------

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


def _proactive(ctx: DraftContext) -> str:
    year, figures = ctx.year, ctx.figures
    by_column: list[tuple[str, int]] = figures.get("catalog.published_by_column")
    total = sum(n for _, n in by_column)
    sentences = []
    if total:
        sentences.append(f"{year}年，本机关通过政府信息公开平台全年共主动公开政府信息{_listing(total, by_column, '条')}。")
    else:
        sentences.append(f"{year}年，本机关未通过政府信息公开平台主动公开政府信息。")
    channels: dict[str, int] = figures.get("catalog.channels")
    other = [(label, channels.get(key, 0)) for key, label in _CHANNEL_LABELS.items() if channels.get(key)]
    if other:
        sentences.append("除本机关网站外，同步在" + "、".join(f"{label}发布{n}条" for label, n in other) + "。")
    normative = figures.get("catalog.normative")
    sentences.append(
        f"发布政策文件{figures.get('catalog.policy_documents')}件；制发行政规范性文件{normative['issued']}件，"
        f"废止{normative['repealed']}件，截至{year}年底现行有效{normative['in_force']}件。"
    )
    interpretations: dict[str, int] = figures.get("catalog.interpretations")
    parts = [(label, interpretations.get(form, 0)) for form, label in _INTERPRETATION_LABELS.items()]
    n_interp = sum(n for _, n in parts)
    if n_interp:
        sentences.append(f"围绕政策文件全年共发布政策解读{_listing(n_interp, parts, '件')}。")
    else:
        sentences.append("本年度未发布政策解读。")
    return "（一）主动公开情况。" + "".join(sentences)


def _numbers(table: TableValues) -> dict[str, dict[str, Value]]:
    """A table of figures only (the disclosure report's tables have no text cells)."""
    out: dict[str, dict[str, Value]] = {}
    for row, cells in table.items():
        out[row] = {}
        for col, value in cells.items():
            assert isinstance(value, (int, Decimal)) and not isinstance(value, bool)
            out[row][col] = value
    return out


def _on_request(t3: dict[str, dict[str, Value]], t4: dict[str, dict[str, Value]], fees_yuan: Decimal | None) -> str:
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
        parts_l = {o: counts[f"direct_{o}"] + counts[f"after_review_{o}"] for o in APPEAL_OUTCOMES}
        sentences.append(
            f"因政府信息公开工作被提起行政诉讼{suits}件，其中结果维持{parts_l['upheld']}件，"
            f"结果纠正{parts_l['corrected']}件，其他结果{parts_l['other']}件，尚未审结{parts_l['pending']}件。"
        )
    else:
        sentences.append("未发生因政府信息公开工作被提起行政诉讼的情况。")
    if fees_yuan:
        sentences.append(f"依法收取信息处理费{_fmt_num(fees_yuan)}元。")
    return "（二）依申请公开情况。" + "".join(sentences)


def _management(ctx: DraftContext) -> list[str]:
    paragraphs = [
        "（三）政府信息管理情况。本机关发布的政府信息均经初审、保密审查和签发后公开，坚持“先审查、后公开”，"
        "按规定标注索引号、文号、成文日期、有效性等要素，规范性文件的施行、废止情况在平台中同步更新。"
    ]
    platform = f"（四）政府信息公开平台建设情况。本机关在政府信息公开平台设置公开栏目{ctx.figures.get('catalog.columns')}个，"
    platform += "提供信息检索、查阅和下载功能。"
    mailbox = ctx.figures.get("mailbox")
    if mailbox["received"]:
        platform += (
            f"局长信箱全年收到来信{mailbox['received']}件，已答复{mailbox['answered']}件，"
            f"公开答复{mailbox['published']}件。"
        )
    else:
        platform += "局长信箱全年未收到来信。"
    paragraphs.append(platform)
    return paragraphs


def disclosure_overview(ctx: DraftContext) -> str:
    """Section 一 (总体情况) drafted from the figures, paragraph by paragraph."""
    return "\n".join([
        f"{ctx.year}年，{ctx.org.name}认真贯彻落实《中华人民共和国政府信息公开条例》，依法做好政府信息公开工作。现将有关情况报告如下。",
        _proactive(ctx),
        _on_request(_numbers(ctx.tables["t3"]), _numbers(ctx.tables["t4"]), ctx.figures.get("applications.fees_yuan")),
        *_management(ctx),
    ])


def disclosure_fees(ctx: DraftContext) -> str:
    """Section 六 (其他需要报告的事项): the processing fees (信息处理费), for staff to complete."""
    fees_yuan = ctx.figures.get("applications.fees_yuan")
    if fees_yuan:
        return f"本年度依据《政府信息公开信息处理费管理办法》收取信息处理费{_fmt_num(fees_yuan)}元。"
    return "本年度未收取政府信息公开信息处理费。"


def disclosure_preamble(ctx: DraftContext) -> str:
    """The opening paragraph: who compiled the report, the period, where to get it, whom to ask."""
    org, year = ctx.org, ctx.year
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


DRAFTERS: dict[str, Drafter] = {
    "disclosure.preamble": disclosure_preamble,
    "disclosure.overview": disclosure_overview,
    "disclosure.fees": disclosure_fees,
}
