"""The statutory rules of disclosure on request as pure functions (no database): dates, order, deadlines, fees.

《政府信息公开条例》 (2019) arts. 30–33 and 《政府信息公开信息处理费管理办法》 (国办函〔2020〕109号) arts. 3–5.
Everything here takes plain values (`EventFact`s, a `WorkingCalendar`) so that the tests can drive it with
hypothesis and the services, the demo and the calendar hook all share one reading of the law:

- 收到申请之日 (art. 31): in person — the day handed in; registered post — the day signed for; ordinary
  letter — the day the office confirmed with the applicant; fax and internet — the day both sides confirmed.
  The portal confirms an online application at once (the tracking number is the confirmation), so its
  receipt day is the day it was submitted.
- 答复期限 (art. 33): 20 working days from the day after receipt (from the day after the corrected
  application arrived, art. 30); consultation of a third party or a co-producing agency (arts. 32, 34, up to
  15 working days) is not counted; an extension approved by the head of the disclosure office adds at most 20
  working days, once, decided before the original period runs out.
- 补正 (art. 30): asked once, within 7 working days of receipt, with a reasonable time to answer; no answer in
  that time abandons the application (F2021 table T3 row 其他处理-1).
- 信息处理费: the applicant pays within 20 working days from the day after the notice, or the application is
  abandoned (T3 row 其他处理-2). The time from the notice to the payment is not counted in the reply period
  (our reading of 109号 art. 7 — see the note in `derive_status`).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext

from gongkai.core.calendar import DueDateExplanation, Pause, WorkingCalendar

from .models import Appeal, Channel, EventKind, ReplyKind, State

REPLY_DAYS = 20
EXTENSION_MAX_DAYS = 20
CORRECTION_NOTICE_DAYS = 7
CONSULTATION_DAYS = 15
FEE_PAYMENT_DAYS = 20
DEFAULT_CORRECTION_DAYS = 15  # the "reasonable time" offered to correct, when staff do not choose another

# Events staff record about the case; the system's own (recomputation, reminders) do not take part in ordering.
SYSTEM_EVENTS = frozenset({EventKind.DEADLINE_RECOMPUTED, EventKind.REMINDER_SENT,
                           EventKind.APPEAL_FILED, EventKind.APPEAL_DECIDED})


class RuleError(ValueError):
    """An impossible date or order of events; the message is for the person who tried it."""


@dataclass(frozen=True)
class EventFact:
    """One recorded step, as the rules see it."""

    kind: str
    on: datetime.date
    data: dict[str, Any] = field(default_factory=dict)


# -- receipt date (art. 31) -------------------------------------------------------------------------------

def receipt_date(
    channel: str, arrived_on: datetime.date, confirmed_on: datetime.date | None, *, registered_letter: bool = True
) -> datetime.date:
    """收到申请之日 under art. 31 for an application that arrived on `arrived_on` through `channel`.

    `confirmed_on` is the day the office and the applicant confirmed the application (needed for fax, e-mail,
    internet and ordinary letters); it cannot be before arrival.
    """
    if confirmed_on is not None and confirmed_on < arrived_on:
        raise RuleError(gettext("确认日期不能早于申请送达日期"))
    if channel == Channel.IN_PERSON or (channel == Channel.LETTER and registered_letter):
        return arrived_on
    if channel == Channel.ONLINE:
        return confirmed_on or arrived_on
    if channel in (Channel.LETTER, Channel.FAX, Channel.EMAIL):
        if confirmed_on is None:
            raise RuleError(gettext("以平常信函、传真或电子邮件提交的申请，须填写与申请人确认的日期（条例第三十一条）"))
        return confirmed_on
    raise RuleError(gettext("未知的申请方式：%(channel)s") % {"channel": channel})


def receipt_rule_text(channel: str, *, registered_letter: bool = True) -> str:
    """Which rule of art. 31 decided the receipt date, in words for the staff and the applicant."""
    if channel == Channel.IN_PERSON:
        return gettext("当面提交，以提交之日为收到申请之日（条例第三十一条第一项）")
    if channel == Channel.LETTER and registered_letter:
        return gettext("邮寄提交，以签收之日为收到申请之日（条例第三十一条第二项）")
    if channel == Channel.LETTER:
        return gettext("平常信函提交，以与申请人确认之日为收到申请之日（条例第三十一条第二项）")
    if channel == Channel.ONLINE:
        return gettext("网上提交，系统当即确认并告知申请编号，以确认之日为收到申请之日（条例第三十一条第三项）")
    return gettext("传真或电子邮件提交，以双方确认之日为收到申请之日（条例第三十一条第三项）")


# -- fees (109号 arts. 3–5) -----------------------------------------------------------------------------------

def per_item_unit_price(k: int) -> Decimal:
    """The price of an applicant's k-th application in one natural month (按件, art. 4).

    1–10 free; 11–30 100元 each; from 31 on, in bands of ten, 100元 more per band (31–40 200元, 41–50 300元 …).
    """
    if k < 1:
        raise RuleError(gettext("件数必须为正整数"))
    if k <= 10:
        return Decimal(0)
    if k <= 30:
        return Decimal(100)
    return Decimal(100) * (2 + (k - 31) // 10)


def per_item_fee(prior_items: int, items: int) -> Decimal:
    """The fee for `items` applications when the applicant already made `prior_items` this month (超额累进)."""
    if prior_items < 0 or items < 1:
        raise RuleError(gettext("件数无效"))
    return sum((per_item_unit_price(k) for k in range(prior_items + 1, prior_items + items + 1)), Decimal(0))


_PAGE_BANDS: tuple[tuple[int | None, Decimal], ...] = (
    (30, Decimal(0)), (100, Decimal(10)), (200, Decimal(20)), (None, Decimal(40)),
)


def per_page_fee(pages: int) -> Decimal:
    """The fee for `pages` pages (按量, art. 5): 1–30 free, 31–100 10元, 101–200 20元, from 201 40元 per page."""
    if pages < 0:
        raise RuleError(gettext("页数不能为负数"))
    total = Decimal(0)
    lower = 0
    for upper, price in _PAGE_BANDS:
        top = pages if upper is None else min(pages, upper)
        if top > lower:
            total += (top - lower) * price
        if upper is None or pages <= upper:
            break
        lower = upper
    return total


# -- deadlines --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Status:
    """Where an application stands, derived from its events."""

    state: State
    clock_start: datetime.date  # the day the reply period counts from (receipt, or the corrected application)
    due_on: datetime.date | None  # the deadline that matters now (reply, correction or payment)
    due_kind: str  # "reply" | "correction" | "fee" | ""
    reply: DueDateExplanation | None  # how the reply deadline was reached (None while awaiting correction)
    correction_notice_by: datetime.date  # last day to ask for a correction (art. 30)
    extension_days: int
    pauses: tuple[Pause, ...]
    reply_kind: str = ""
    replied_on: datetime.date | None = None

    def explanation_dict(self) -> dict[str, Any]:
        """What the application row keeps in `due_explanation` (JSON) for the pages to show."""
        result: dict[str, Any] = {
            "due_kind": self.due_kind,
            "clock_start": self.clock_start.isoformat(),
            "correction_notice_by": self.correction_notice_by.isoformat(),
        }
        if self.reply is not None:
            result["reply"] = self.reply.as_dict()
        if self.due_kind == "correction" and self.due_on:
            result["text"] = gettext("等待申请人补正，补正期限为 %(date)s；收到补正后重新计算20个工作日答复期限。") % {
                "date": self.due_on.isoformat()}
        elif self.due_kind == "fee" and self.due_on:
            result["text"] = gettext(
                "等待申请人缴纳信息处理费，缴费期限为 %(date)s（收到收费通知次日起20个工作日）；缴费期间不计入答复期限。"
            ) % {"date": self.due_on.isoformat()}
        elif self.reply is not None:
            result["text"] = self.reply.render()
        return result


def _consultation_pause(calendar: WorkingCalendar, started: datetime.date,
                        ended: datetime.date | None) -> Pause | None:
    """Days not counted for a consultation: from the day after the letter went out to the day the opinion
    came in, at most the party's 15 working days (after that the office decides, art. 32)."""
    limit = calendar.add_working_days(started, CONSULTATION_DAYS)
    last = limit if ended is None else min(ended, limit)
    first = started + datetime.timedelta(days=1)
    return (first, last) if last >= first else None


def consultation_due(calendar: WorkingCalendar, started: datetime.date) -> datetime.date:
    return calendar.add_working_days(started, CONSULTATION_DAYS)


def derive_status(received_on: datetime.date, events: Sequence[EventFact], calendar: WorkingCalendar) -> Status:
    """The state and the current deadline of an application received on `received_on` with these events.

    Events are read in the order given (the order they were recorded, which `check_event` keeps
    chronological). A pure function of its arguments: recomputing after a calendar change is calling it again.
    """
    clock_start = received_on
    state = State.PROCESSING
    extension = 0
    pauses: list[Pause] = []
    open_consultation: datetime.date | None = None
    open_fee: tuple[datetime.date, datetime.date] | None = None
    correction_by: datetime.date | None = None
    reply_kind = ""
    replied_on: datetime.date | None = None
    closed = False
    for ev in events:
        kind = ev.kind
        if kind == EventKind.CORRECTION_REQUESTED:
            correction_by = datetime.date.fromisoformat(ev.data["correct_by"])
        elif kind == EventKind.CORRECTED:
            correction_by = None
            clock_start = ev.on
            pauses = []  # the period starts afresh from the corrected application
        elif kind == EventKind.CONSULTATION_STARTED:
            open_consultation = ev.on
        elif kind == EventKind.CONSULTATION_ENDED and open_consultation is not None:
            pause = _consultation_pause(calendar, open_consultation, ev.on)
            if pause:
                pauses.append(pause)
            open_consultation = None
        elif kind == EventKind.EXTENSION:
            extension += int(ev.data["days"])
        elif kind == EventKind.FEE_NOTICE:
            open_fee = (ev.on, datetime.date.fromisoformat(ev.data["pay_by"]))
        elif kind == EventKind.FEE_PAID and open_fee is not None:
            # 109号 art. 7 as we read it: the time from the notice to the payment is not counted.
            first = open_fee[0] + datetime.timedelta(days=1)
            if ev.on >= first:
                pauses.append((first, ev.on))
            open_fee = None
        elif kind in (EventKind.REPLIED, EventKind.CORRECTION_LAPSED, EventKind.FEE_LAPSED):
            reply_kind = str(ev.data.get("reply_kind", ""))
            replied_on = ev.on
            correction_by = None
            open_fee = None
        elif kind == EventKind.CLOSED:
            closed = True

    notice_by = calendar.add_working_days(received_on, CORRECTION_NOTICE_DAYS)
    all_pauses = list(pauses)
    if open_consultation is not None:
        pause = _consultation_pause(calendar, open_consultation, None)
        if pause:
            all_pauses.append(pause)
    if open_fee is not None:
        all_pauses.append((open_fee[0] + datetime.timedelta(days=1), open_fee[1]))

    reply: DueDateExplanation | None = None
    if correction_by is None:
        reply = calendar.explain_due_date(clock_start, REPLY_DAYS, paused=all_pauses, extension_days=extension)

    if replied_on is not None:
        state = State.CLOSED if closed else State.REPLIED
        return Status(state, clock_start, None, "", reply, notice_by, extension, tuple(all_pauses),
                      reply_kind, replied_on)
    if correction_by is not None:
        return Status(State.AWAITING_CORRECTION, clock_start, correction_by, "correction", None, notice_by,
                      extension, tuple(all_pauses))
    assert reply is not None
    if open_fee is not None:
        return Status(State.AWAITING_FEE, clock_start, open_fee[1], "fee", reply, notice_by, extension,
                      tuple(all_pauses))
    state = State.CONSULTING if open_consultation is not None else State.PROCESSING
    return Status(state, clock_start, reply.due_on, "reply", reply, notice_by, extension, tuple(all_pauses))


# -- order of events --------------------------------------------------------------------------------------

def _has(events: Sequence[EventFact], kind: str) -> bool:
    return any(e.kind == kind for e in events)


def check_event(
    received_on: datetime.date,
    events: Sequence[EventFact],
    new: EventFact,
    calendar: WorkingCalendar,
    today: datetime.date,
) -> Status:
    """Refuse `new` (RuleError) if the statute or common sense forbids it after `events`; else the status now.

    Dates may not lie in the future, before receipt, or before the last step already recorded.
    """
    status = derive_status(received_on, events, calendar)
    on = new.on
    kind = new.kind
    if on > today:
        raise RuleError(gettext("日期 %(date)s 晚于今天，不能记录将来的办理环节") % {"date": on.isoformat()})
    if on < received_on:
        raise RuleError(gettext("日期 %(date)s 早于收到申请之日 %(received)s") % {
            "date": on.isoformat(), "received": received_on.isoformat()})
    case_events = [e for e in events if e.kind not in SYSTEM_EVENTS]
    if case_events and kind not in SYSTEM_EVENTS:
        last = max(e.on for e in case_events)
        if on < last:
            raise RuleError(gettext("日期 %(date)s 早于上一办理环节的日期 %(last)s，办理环节须按时间顺序记录") % {
                "date": on.isoformat(), "last": last.isoformat()})
    if status.state == State.CLOSED and kind not in SYSTEM_EVENTS:
        raise RuleError(gettext("该申请已办结，不能再记录办理环节"))
    replied = status.replied_on is not None
    if replied and kind not in (EventKind.CLOSED, *SYSTEM_EVENTS):
        raise RuleError(gettext("该申请已作出答复，不能再记录此环节"))

    if kind == EventKind.CORRECTION_REQUESTED:
        if _has(events, EventKind.CORRECTION_REQUESTED):
            raise RuleError(gettext("补正只能一次性告知，该申请已告知过补正（条例第三十条）"))
        if on > status.correction_notice_by:
            raise RuleError(gettext("补正须在收到申请之日起7个工作日内告知，最迟为 %(date)s（条例第三十条）") % {
                "date": status.correction_notice_by.isoformat()})
        if status.state != State.PROCESSING:
            raise RuleError(gettext("征求意见或待缴费期间不能告知补正"))
        correct_by = datetime.date.fromisoformat(new.data["correct_by"])
        if correct_by <= on:
            raise RuleError(gettext("补正期限须晚于告知补正之日"))
    elif kind == EventKind.CORRECTED:
        if status.state != State.AWAITING_CORRECTION:
            raise RuleError(gettext("该申请没有待补正的告知，不能记录收到补正"))
    elif kind == EventKind.CORRECTION_LAPSED:
        if status.state != State.AWAITING_CORRECTION:
            raise RuleError(gettext("该申请没有待补正的告知"))
        assert status.due_on is not None
        if on <= status.due_on:
            raise RuleError(gettext("补正期限 %(date)s 尚未届满，不能视为放弃申请") % {"date": status.due_on.isoformat()})
    elif kind == EventKind.CONSULTATION_STARTED:
        if status.state != State.PROCESSING:
            raise RuleError(gettext("当前状态（%(state)s）下不能发起征求意见") % {"state": status.state.label})
    elif kind == EventKind.CONSULTATION_ENDED:
        if status.state != State.CONSULTING:
            raise RuleError(gettext("该申请没有进行中的征求意见"))
    elif kind == EventKind.EXTENSION:
        days = new.data.get("days")
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= EXTENSION_MAX_DAYS:
            raise RuleError(gettext("延长的期限须为1至20个工作日（条例第三十三条）"))
        if _has(events, EventKind.EXTENSION):
            raise RuleError(gettext("答复期限只能延长一次，该申请已延长过"))
        if status.state not in (State.PROCESSING, State.CONSULTING) or status.reply is None:
            raise RuleError(gettext("当前状态（%(state)s）下不能延长答复期限") % {"state": status.state.label})
        if on > status.reply.due_on:
            raise RuleError(gettext("答复期限 %(date)s 已过，不能再延长；延期须在期限届满前经负责人同意") % {
                "date": status.reply.due_on.isoformat()})
    elif kind == EventKind.FEE_NOTICE:
        if status.state != State.PROCESSING:
            raise RuleError(gettext("当前状态（%(state)s）下不能发出收费通知") % {"state": status.state.label})
    elif kind in (EventKind.FEE_PAID, EventKind.FEE_LAPSED):
        if status.state != State.AWAITING_FEE:
            raise RuleError(gettext("该申请没有待缴的信息处理费"))
        assert status.due_on is not None
        if kind == EventKind.FEE_LAPSED and on <= status.due_on:
            raise RuleError(gettext("缴费期限 %(date)s 尚未届满，不能视为放弃申请") % {"date": status.due_on.isoformat()})
    elif kind == EventKind.REPLIED:
        if status.state == State.AWAITING_CORRECTION:
            raise RuleError(gettext("申请待补正，须先记录收到补正或逾期未补正"))
        if status.state == State.CONSULTING:
            raise RuleError(gettext("征求意见尚未结束，须先记录征求意见结果"))
        if status.state == State.AWAITING_FEE:
            raise RuleError(gettext("信息处理费尚未缴纳，须先记录缴费或逾期未缴费"))
        reply_kind = new.data.get("reply_kind")
        if reply_kind not in ReplyKind.values:
            raise RuleError(gettext("请选择答复类型"))
        if reply_kind == ReplyKind.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION and not _has(events, EventKind.CORRECTED):
            raise RuleError(gettext("“补正后申请内容仍不明确”只适用于已经补正的申请"))
        if reply_kind in (ReplyKind.OTHER_NO_CORRECTION, ReplyKind.OTHER_FEE_UNPAID):
            raise RuleError(gettext("逾期未补正、逾期未缴费须通过相应的环节记录"))
    elif kind == EventKind.CLOSED:
        if not replied:
            raise RuleError(gettext("尚未答复，不能办结"))
    elif kind not in SYSTEM_EVENTS and kind != EventKind.RECEIVED:
        raise RuleError(gettext("未知的办理环节：%(kind)s") % {"kind": kind})
    return status


# -- appeals ----------------------------------------------------------------------------------------------

def check_appeal(kind: str, filed_on: datetime.date, received_on: datetime.date, today: datetime.date,
                 has_reconsideration: bool) -> None:
    if kind not in Appeal.Kind.values:
        raise RuleError(gettext("请选择复议或诉讼类型"))
    if filed_on > today:
        raise RuleError(gettext("日期 %(date)s 晚于今天") % {"date": filed_on.isoformat()})
    if filed_on < received_on:
        raise RuleError(gettext("复议或诉讼日期不能早于收到申请之日"))
    if kind == Appeal.Kind.LITIGATION_AFTER and not has_reconsideration:
        raise RuleError(gettext("“复议后起诉”须先记录该申请的行政复议"))


def check_appeal_decision(outcome: str, decided_on: datetime.date | None, filed_on: datetime.date,
                          today: datetime.date) -> None:
    if outcome not in Appeal.Outcome.values:
        raise RuleError(gettext("请选择结果"))
    if outcome == Appeal.Outcome.PENDING:
        if decided_on is not None:
            raise RuleError(gettext("尚未审结的案件不应填写审结日期"))
        return
    if decided_on is None:
        raise RuleError(gettext("请填写审结日期"))
    if decided_on > today:
        raise RuleError(gettext("日期 %(date)s 晚于今天") % {"date": decided_on.isoformat()})
    if decided_on < filed_on:
        raise RuleError(gettext("审结日期不能早于立案日期"))
