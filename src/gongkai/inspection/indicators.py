"""The inspection indicators (检查指标) as data, in one place.

Each indicator has a name, the rule in words, a threshold, whether failing it vetoes the site (单项否决) or costs
points (扣分), and the source it comes from. The evaluation functions (`evaluate.py`) read their windows and
thresholds from here; nothing else in the app repeats a number.

Sources: 国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》 (as reproduced in the quarterly 通报, see
spec/statutory-rules.md §4) and 《政府信息公开条例》 arts. 26 and 49.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Kind(StrEnum):
    VETO = "veto"  # 单项否决
    POINTS = "points"  # 扣分


@dataclass(frozen=True)
class Indicator:
    """One inspection indicator. `threshold`: the count (or share, for availability) at which it fails."""

    key: str
    name: StrOrPromise
    rule: StrOrPromise
    threshold: float
    kind: Kind
    source: StrOrPromise
    points: int = 0  # points deducted when a points indicator fails (where the sources name a figure)

    @property
    def is_veto(self) -> bool:
        return self.kind == Kind.VETO


# Windows and limits the rules are written in (all in one place).
HOME_WINDOW_DAYS = 14  # 首页: 监测2周无更新
NEWS_WINDOW_DAYS = 14  # 动态、要闻类栏目: 前2周内
NOTICE_POLICY_WINDOW_MONTHS = 6  # 通知公告、政策文件类栏目: 前6个月内
NEW_MEDIA_WINDOW_DAYS = 14  # 政务新媒体: 前2周内无更新
LETTER_UNANSWERED_MONTHS = 3  # 留言超过3个月未答复
AVAILABILITY_WINDOW_DAYS = 7  # 连续监测7天
AVAILABILITY_SLOW_SECONDS = 15.0  # 超过（含）15秒打不开
AVAILABILITY_MIN_PROBES_PER_DAY = 20  # 每天间隔性访问20次以上
PUBLISH_WITHIN_WORKING_DAYS = 20  # 条例第二十六条: 20个工作日内公开
REVIEWED_PUBLICATIONS_DAYS = 365  # art. 26, links, …: publications of the last year are inspected
NEW_MEDIA_CHANNELS = ("wechat", "weibo")

SOURCE_2019 = gettext_lazy("国办秘函〔2019〕19号《政府网站与政务新媒体检查指标》")
SOURCE_REGULATION = gettext_lazy("《中华人民共和国政府信息公开条例》")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("availability", gettext_lazy("站点无法访问"), gettext_lazy("监测7天，每天多次访问，超过（含）15秒打不开或出错的次数累计占比超过（含）5%"),
              0.05, Kind.VETO, format_lazy("{}{}", SOURCE_2019, gettext_lazy("·单项否决·站点无法访问"))),
    Indicator("home_not_updated", gettext_lazy("首页不更新"), gettext_lazy("监测2周，首页无信息更新"), 1, Kind.VETO,
              format_lazy("{}{}", SOURCE_2019, gettext_lazy("·单项否决·首页不更新"))),
    Indicator("columns_not_updated", gettext_lazy("栏目不更新"),
              gettext_lazy("动态、要闻类栏目2周内未更新，通知公告、政策文件类栏目6个月内未更新，累计超过（含）5个"), 5, Kind.VETO,
              format_lazy("{}{}", SOURCE_2019, gettext_lazy("·单项否决·栏目不更新"))),
    Indicator("columns_long_stale", gettext_lazy("应更新栏目长期未更新"),
              gettext_lazy("设有更新周期的栏目超过周期未更新（应更新但长期未更新），数量超过（含）10个"), 10, Kind.VETO,
              format_lazy("{}{}", SOURCE_2019, gettext_lazy("·单项否决·栏目不更新"))),
    Indicator("empty_columns", gettext_lazy("空白栏目"), gettext_lazy("没有任何已发布信息的栏目，数量超过（含）5个"), 5, Kind.VETO,
              format_lazy("{}{}", SOURCE_2019, gettext_lazy("·单项否决·栏目不更新"))),
    Indicator("letters_unanswered", gettext_lazy("互动回应差"), gettext_lazy("有效留言超过3个月未答复"), 1, Kind.VETO,
              format_lazy("{}{}", SOURCE_2019, gettext_lazy("·单项否决·互动回应差"))),
    Indicator("new_media_not_updated", gettext_lazy("政务新媒体不更新"), gettext_lazy("政务微信、微博等渠道监测时间点前2周内无信息更新"), 1,
              Kind.VETO, format_lazy("{}{}", SOURCE_2019, gettext_lazy("·政务新媒体单项否决·内容更新"))),
    Indicator("dead_links", gettext_lazy("链接不可用"), gettext_lazy("已发布信息中的站内、站外链接无法访问"), 1, Kind.POINTS,
              format_lazy("{}{}", SOURCE_2019, gettext_lazy("·扣分指标·链接不可用")), points=1),
    Indicator("late_publication", gettext_lazy("未及时公开"), gettext_lazy("信息应自形成之日起20个工作日内公开（成文日期至发布日期）"), 1,
              Kind.POINTS, format_lazy("{}{}", SOURCE_REGULATION, gettext_lazy("第二十六条")), points=1),
    Indicator("normative_uninterpreted", gettext_lazy("规范性文件未解读"), gettext_lazy("规范性文件应同步发布政策解读（或说明无需解读的理由）"),
              1, Kind.POINTS, gettext_lazy("国办发〔2016〕80号《〈关于全面推进政务公开工作的意见〉实施细则》（政策解读）"), points=1),
    Indicator("validity_lapsed", gettext_lazy("有效性标注错误"), gettext_lazy("已过失效日期或已废止的文件仍标注为“有效”"), 1, Kind.POINTS,
              format_lazy("{}{}", SOURCE_2019, gettext_lazy("·扣分指标·信息发布（准确性）")), points=1),
    Indicator("annual_report_late", gettext_lazy("年度报告未按期公布"),
              gettext_lazy("政府部门1月31日前、本级人民政府3月31日前公布上一年度政府信息公开工作年度报告"), 1, Kind.POINTS,
              format_lazy("{}{}", SOURCE_REGULATION, gettext_lazy("第四十九条")), points=5),
    Indicator("website_report_late", gettext_lazy("政府网站工作年度报表未按期发布"),
              gettext_lazy("每年1月31日前在本网站首页显著位置发布上一年度《政府网站工作年度报表》"), 1, Kind.POINTS,
              gettext_lazy("国办函〔2018〕12号《国务院办公厅关于做好政府网站年度报表发布工作的通知》")),
)

BY_KEY: dict[str, Indicator] = {i.key: i for i in INDICATORS}


def months_before(day: dt.date, months: int) -> dt.date:
    """The same day `months` calendar months earlier (the month's last day when it has no such day)."""
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = m + 1
    for d in range(day.day, 0, -1):
        try:
            return dt.date(y, month, d)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover - day 1 always exists


def months_after(day: dt.date, months: int) -> dt.date:
    return months_before(day, -months)
