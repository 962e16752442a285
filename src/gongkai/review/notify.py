"""Mail about review work (审核提醒): a step opens, a submission comes back, the daily digest of overdue tasks.

Every mail is queued with `core.mail.queue_mail` inside the transaction of the change it tells about and sent
by the background worker after it commits; nothing is sent inside a web request. Only people who can act are
mailed (`selectors.deciders_of`), and never someone who turned mail off (个人设置). Mails name the item by its
title and link to the task; they carry no personal data (titles are what the public will read).

The links use the workspace's URL names (`workspace:review_task`, `workspace:inbox`) by name, an interface
like the portal's names that the catalog resolves.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core.calendar_selectors import working_calendar
from gongkai.core.mail import queue_mail
from gongkai.orgs.selectors import mail_addresses

from .models import StepTask
from .selectors import deciders_of, overdue_tasks

# A task pending longer than this many working days is overdue and goes into the daily digest.
OVERDUE_WORKING_DAYS = 2


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _task_link(task: StepTask) -> str:
    return _absolute(reverse("workspace:review_task", kwargs={"pk": task.pk}))


def step_opened(task: StepTask) -> None:
    """Mail the people who can decide `task`, which has just become pending."""
    sub = task.submission
    to = mail_addresses(deciders_of(task))
    if not to:
        return
    body = gettext(
        "%(org)s 有一项信息等待您审核。\n\n"
        "标题：%(title)s\n环节：%(step)s\n送审时间：%(at)s\n\n"
        "打开审核任务：%(link)s\n\n"
        "（本邮件由政务公开平台自动发送。如不需要邮件提醒，可在工作台“个人设置”中关闭。）"
    ) % {
        "org": sub.organisation.name, "title": sub.title, "step": task.name,
        "at": timezone.localtime(sub.submitted_at or timezone.now()).strftime("%Y-%m-%d %H:%M"),
        "link": _task_link(task),
    }
    queue_mail(
        to, gettext("【待审核】%(step)s：%(title)s") % {"step": task.name, "title": sub.title}, body,
        kind="review.step_opened", organisation_id=sub.organisation_id,
    )


def returned(task: StepTask, comment: str) -> None:
    """Mail the submitter that `task` sent their submission back, with the reviewer's comment."""
    sub = task.submission
    to = mail_addresses([sub.submitted_by])
    if not to:
        return
    body = gettext(
        "您送审的信息在“%(step)s”环节被退回修改。\n\n标题：%(title)s\n修改意见：%(comment)s\n\n"
        "查看：%(link)s\n\n"
        "（本邮件由政务公开平台自动发送。如不需要邮件提醒，可在工作台“个人设置”中关闭。）"
    ) % {"step": task.name, "title": sub.title, "comment": comment, "link": _task_link(task)}
    queue_mail(
        to, gettext("【已退回】%(title)s") % {"title": sub.title}, body,
        kind="review.returned", organisation_id=sub.organisation_id,
    )


def overdue_digest(now: dt.datetime | None = None) -> str:
    """The daily digest (逾期审核任务汇总): each person who can decide overdue tasks gets one mail listing them."""
    now = now or timezone.now()
    calendar = working_calendar()
    per_person: dict[Any, list[StepTask]] = defaultdict(list)
    for task in overdue_tasks(now, OVERDUE_WORKING_DAYS, calendar):
        for person in deciders_of(task):
            per_person[person].append(task)
    sent = 0
    today = timezone.localdate(now)
    for person, tasks in per_person.items():
        to = mail_addresses([person])
        if not to:
            continue
        lines = [
            gettext("· %(title)s（%(org)s，%(step)s，已等待 %(days)d 个工作日）\n  %(link)s") % {
                "title": t.submission.title, "org": t.submission.organisation.name, "step": t.name,
                "days": calendar.count_working_days(timezone.localdate(t.opened_at), today),
                "link": _task_link(t),
            }
            for t in tasks
        ]
        body = gettext(
            "以下 %(n)d 项审核任务已超过 %(limit)d 个工作日未处理：\n\n%(lines)s\n\n"
            "全部待办：%(inbox)s\n\n（本邮件由政务公开平台每日自动发送。如不需要邮件提醒，可在工作台“个人设置”中关闭。）"
        ) % {
            "n": len(tasks), "limit": OVERDUE_WORKING_DAYS, "lines": "\n".join(lines),
            "inbox": _absolute(reverse("workspace:inbox")),
        }
        queue_mail(to, gettext("【逾期待审】%(n)d 项审核任务等待处理") % {"n": len(tasks)}, body,
                   kind="review.overdue_digest")
        sent += 1
    return f"{sent} digests"
