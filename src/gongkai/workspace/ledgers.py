"""Ledgers (台账) as Excel: published items, applications and letters, with Chinese headers.

The same filters as the staff lists they come from; `gongkai ledger` writes the same workbooks from the command
line. One sheet a ledger, header row frozen with an auto-filter (core.spreadsheets).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.applications import selectors as application_selectors
from gongkai.catalog import selectors as catalog_selectors
from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.people import display_name
from gongkai.core.spreadsheets import Column, Sheet
from gongkai.interaction import selectors as interaction_selectors
from gongkai.orgs.models import Organisation

KINDS = ("items", "applications", "letters")


@dataclass(frozen=True)
class Period:
    start: dt.date | None = None
    end: dt.date | None = None

    def text(self) -> str:
        if not (self.start or self.end):
            return _("全部")
        return _("%(start)s 至 %(end)s") % {
            "start": self.start.isoformat() if self.start else "…", "end": self.end.isoformat() if self.end else "…"}


def _local(moment: dt.datetime | None) -> dt.datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def items_sheet(user: Any, filters: catalog_selectors.ItemFilters) -> Sheet:
    """信息发布台账: 索引号, 标题, 文号, 栏目, 成文/发布日期, channels, reviewers."""
    rows = []
    for row in catalog_selectors.item_ledger(user, filters):
        item = row.item
        rows.append([
            item.index_number or "", item.title, item.document_number, item.column.name,
            item.organisation.name, catalog_selectors.STATE_LABELS.get(row.stage, ""),
            item.written_on, timezone.localdate(item.published_at) if item.published_at else None,
            "、".join([_("本网站"), *row.channels]) if item.published_at else "、".join(row.channels),
            "；".join(f"{step}：{display_name(reviewer)}" for step, reviewer in row.approvals),
        ])
    return Sheet(_("信息发布台账"), [
        Column(_("索引号")), Column(_("标题"), width=40, wrap=True), Column(_("文号")), Column(_("栏目")),
        Column(_("机构")), Column(_("状态")), Column(_("成文日期")), Column(_("发布日期")), Column(_("发布渠道")),
        Column(_("审核人"), width=36, wrap=True),
    ], rows)


def applications_sheet(user: Any, *, org: Organisation | None, state: str = "", query: str = "",
                       period: Period = Period()) -> Sheet:
    """依申请公开台账: number, received, deadline, reply kind, replied on, working days taken, fees."""
    rows = []
    for row in application_selectors.application_ledger(
        user, org=org, state=state, query=query, received_from=period.start, received_to=period.end,
        calendar=working_calendar(),
    ):
        app = row.application
        rows.append([
            app.number, app.organisation.name, app.received_on, app.due_on, app.get_state_display(),
            app.get_reply_kind_display() if app.reply_kind else "", app.replied_on, row.working_days_taken,
            row.fees_paid,
        ])
    return Sheet(_("依申请公开台账"), [
        Column(_("申请编号")), Column(_("机构")), Column(_("收到申请之日")), Column(_("答复期限")), Column(_("状态")),
        Column(_("答复类型"), width=30, wrap=True), Column(_("答复日期")), Column(_("办理用时（工作日）")),
        Column(_("信息处理费（元）")),
    ], rows)


def letters_sheet(user: Any, *, org: Organisation | None, state: str = "all", period: Period = Period()) -> Sheet:
    """来信办理台账: received, replied, working days taken, published or not."""
    rows = []
    for row in interaction_selectors.letter_ledger(user, state=state, org=org, received_from=period.start,
                                                   received_to=period.end):
        letter = row.letter
        rows.append([
            letter.tracking_number, letter.organisation.name, letter.get_kind_display(), _local(letter.received_at),
            letter.due_on, _local(letter.answered_at), row.working_days_taken, letter.get_status_display(),
            _("是") if letter.published_at else _("否"),
        ])
    return Sheet(_("来信办理台账"), [
        Column(_("查询编号")), Column(_("机构")), Column(_("类别")), Column(_("收到时间")), Column(_("答复期限")),
        Column(_("答复时间")), Column(_("办理用时（工作日）")), Column(_("状态")), Column(_("是否选登")),
    ], rows)


def filename(kind: str, org: Organisation | None, period: Period) -> str:
    names = {"items": _("信息发布台账"), "applications": _("依申请公开台账"), "letters": _("来信办理台账")}
    parts = [org.name if org else _("全部机构"), names[kind]]
    if period.start or period.end:
        parts.append(period.text().replace(" ", ""))
    return "-".join(parts) + ".xlsx"
