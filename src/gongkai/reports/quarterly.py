"""季度自查报告: the quarterly self-inspection report of a site, drafted from the same figures as the website annual
report for any quarter, then edited and published like any other item (it goes through review).

What agencies publish each quarter (e.g. "北京市审计局2023年第二季度政府网站与政务新媒体工作自查报告"): page views
and visits with the most-read columns, the updates, mailbox figures with the average handling time and the reply
rate, "我为政府网站找错" messages, and the problems found and fixed. The platform knows all but the 找错 messages,
which the office enters when it drafts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape

from gongkai.catalog import selectors as catalog_selectors
from gongkai.orgs.models import Organisation
from gongkai.visits import selectors as visits_selectors

from .sources import Figures
from .spec import format_for_year

# The report is a document the agency publishes, in the wording agencies use: content, not interface text, so it
# stays Chinese whatever the interface's language (docs/architecture.md, "Language").
__i18n_exempt__ = ("QUARTER_NAMES", "KEYWORDS", "draft")

QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
KEYWORDS = "网站自查 季度报告"  # the published item's keywords


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    if quarter not in QUARTER_NAMES:
        raise ValueError(f"quarter {quarter} is not 1–4")
    start = dt.date(year, 3 * quarter - 2, 1)
    end = dt.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1) - dt.timedelta(days=1)
    return start, end


@dataclass(frozen=True)
class ErrorReports:
    """"我为政府网站找错" messages forwarded to the site in the quarter, as the office counts them."""

    received: int = 0
    handled: int = 0


@dataclass(frozen=True)
class QuarterlyDraft:
    title: str
    summary: str
    body: str  # HTML, for the item editor


def _number(value: object) -> str:
    return format(value, "f") if not isinstance(value, int) else str(value)


def draft(org: Organisation, year: int, quarter: int, errors: ErrorReports, *, today: dt.date) -> QuarterlyDraft:
    """The report of `org`'s site on one quarter, paragraph by paragraph, from the platform's figures."""
    start, end = quarter_bounds(year, quarter)
    figures = Figures(org=org, fmt=format_for_year(year, "website"), start=start, end=min(end, today), today=today)
    q = QUARTER_NAMES[quarter]
    title = f"{org.name}{year}年第{q}季度政府网站与政务新媒体自查报告"
    period = f"{start.year}年{start.month}月{start.day}日至{end.year}年{end.month}月{end.day}日"
    columns = visits_selectors.ranking([org.pk], start, end, "column", limit=3)
    names = catalog_selectors.column_names([int(r.key) for r in columns])
    read_most = "、".join(f"“{names[int(r.key)].name}”" for r in columns if int(r.key) in names)
    items = figures.get("site.items")
    channels = figures.get("channels")
    mailbox = figures.get("mailbox")
    consultations = figures.get("consultations")
    runs = figures.get("inspection")

    paragraphs = [
        f"按照《政府网站与政务新媒体检查指标》（国办秘函〔2019〕19号）要求，{org.name}对本机关网站开展了{year}年第{q}季度"
        f"自查（统计期间为{period}），现将有关情况报告如下。",
        "<strong>一、网站运行情况</strong>",
        f"本季度网站页面总浏览量（PV）为{figures.get('visits.views')}次，独立访客{figures.get('visits.visitors')}人次"
        + (f"，其中{read_most}等栏目访问量较高。" if read_most else "。")
        + f"本季度网站发布信息{items['total']}条，其中政务动态信息{items['news']}条、信息公开目录信息{items['catalogue']}条"
        + (f"；通过政务微信发布{channels['wechat']}条、政务微博发布{channels['weibo']}条。"
           if channels["new_media"] else "。"),
        "<strong>二、网民留言办理情况</strong>",
        (f"本季度局长信箱收到留言{mailbox['received']}件，办结{mailbox['answered']}件，平均办理时间"
         f"{_number(mailbox['average_days'])}个工作日，答复率{_number(mailbox['reply_rate'])}%，公开答复{mailbox['published']}件。"
         if mailbox["received"] else "本季度局长信箱未收到留言。")
        + (f"开展意见征集{consultations['held']}期，收到意见{consultations['opinions']}条。" if consultations["held"] else "")
        + (f"本季度“我为政府网站找错”平台转办网民留言{errors.received}条，已办结{errors.handled}条。"
           if errors.received else "本季度“我为政府网站找错”平台未转办网民留言。"),
        "<strong>三、自查和整改情况</strong>",
        f"本季度平台按检查指标对网站开展自查{runs['runs']}次，发现问题{runs['problems_found']}个，"
        f"已整改{runs['problems_fixed']}个。",
        "<strong>四、下一步工作</strong>",
        "下一步，本机关将继续加强网站日常巡查和内容保障，及时更新各栏目信息，规范办理网民留言，确保网站安全平稳运行。",
    ]
    body = "".join(f"<p>{p if p.startswith('<strong>') else escape(p)}</p>" for p in paragraphs)
    summary = (f"{year}年第{q}季度网站浏览量{figures.get('visits.views')}次，发布信息{items['total']}条，"
               f"收到留言{mailbox['received']}件，自查发现问题{runs['problems_found']}个、已整改{runs['problems_fixed']}个。")
    return QuarterlyDraft(title=title, summary=summary[:500], body=body)
