"""Rows for read-only portal tests, created directly (the publish flow itself is tested with the services).

An item is live when it has a `live_revision` and a `go_live_at` in the past; the live revision's snapshot lists
the attachment ids that are public. Withdrawing clears both (as catalog.services.withdraw_item does).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.utils import timezone

from gongkai.catalog import search_documents
from gongkai.catalog.models import Attachment, Column, DutyEntry, DutyList, DutyListVersion, Item
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review.models import Revision

_serial = itertools.count(1)


def make_org(code: str, name: str, parent: Organisation | None = None, **fields: Any) -> Organisation:
    fields.setdefault("index_code", code.upper())
    return Organisation.objects.create(code=code, name=name, parent=parent, **fields)


def make_column(org: Organisation, slug: str, name: str, **fields: Any) -> Column:
    return Column.objects.create(organisation=org, slug=slug, name=name, **fields)


def bureau_with_staff() -> tuple[Organisation, Column, dict[str, Any]]:
    """A bureau with a 通知公告 column and one member in each role (user name = role), for publish-flow tests."""
    org = Organisation.objects.create(name="银川市科学技术局", code="yckjj", index_code="11640100MB1234567X")
    column = Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")
    staff = {}
    for role in Role.values:
        user = get_user_model().objects.create_user(username=role, password="correct-horse-battery")
        Membership.objects.create(user=user, organisation=org, role=role)
        staff[role] = user
    return org, column, staff


def _revision(obj: Any, snapshot: dict[str, Any]) -> Revision:
    ct = ContentType.objects.get_for_model(obj)
    number = Revision.objects.filter(content_type=ct, object_id=obj.pk).count() + 1
    return Revision.objects.create(content_type=ct, object_id=obj.pk, number=number, snapshot=snapshot)


def make_item(
    column: Column,
    title: str,
    *,
    state: str = "live",
    published_at: dt.datetime | None = None,
    attachments: tuple[tuple[str, bytes], ...] = (),
    **fields: Any,
) -> Item:
    """state: "live", "draft" (never submitted), "scheduled" (approved, goes live tomorrow), "withdrawn"."""
    now = timezone.now()
    when = published_at or now - dt.timedelta(days=1)
    n = next(_serial)
    fields.setdefault("index_number", f"{column.organisation.index_code}/{when.year}-{n:05d}")
    item = Item.objects.create(organisation=column.organisation, column=column, title=title, **fields)
    atts = [make_attachment(item, name, data) for name, data in attachments]
    if state == "draft":
        item.index_number = None
        item.save(update_fields=["index_number"])
        return item
    revision = _revision(item, {"title": title, "attachment_ids": [a.pk for a in atts]})
    item.published_at = when
    if state == "live":
        item.live_revision, item.go_live_at = revision, when
    elif state == "scheduled":
        item.live_revision, item.go_live_at = revision, now + dt.timedelta(days=1)
        item.published_at = item.go_live_at
    elif state == "withdrawn":
        item.live_revision, item.go_live_at = None, None
        item.withdrawn_at, item.withdrawal_reason = now, "内容有误"
    else:
        raise ValueError(state)
    item.save()
    search_documents.index_item(item)  # what publish_revision / withdraw_item do in the same transaction
    return item


def make_attachment(item: Item, name: str, data: bytes, mime: str = "application/pdf") -> Attachment:
    digest = hashlib.sha256(data).hexdigest()
    ext = name.rsplit(".", 1)[-1].lower()
    att = Attachment(
        item=item, original_name=name, mime_type=mime, extension=ext, size=len(data), sha256=digest
    )
    att.file.save(f"{digest[:16]}.{ext}", ContentFile(data), save=False)
    att.save()
    return att


def add_unpublished_attachment(item: Item, name: str, data: bytes) -> Attachment:
    """An attachment uploaded to a live item's working copy but not in its live revision."""
    return make_attachment(item, name, data)


def make_duty_list(
    org: Organisation, kind: str, title: str, versions: list[tuple[str, dt.date, bool]]
) -> DutyList:
    """versions: (label, effective_on, published); the last published one becomes the live version."""
    dl = DutyList.objects.create(organisation=org, kind=kind, title=title)
    for label, effective_on, published in versions:
        v = DutyListVersion.objects.create(duty_list=dl, label=label, effective_on=effective_on)
        for order in (1, 2):
            DutyEntry.objects.create(
                version=v, order=order, code=f"{kind[:2].upper()}-{order:03d}", name=f"{label}事项{order}",
                category="行政许可" if order == 1 else "行政确认", basis="《中华人民共和国科学技术进步法》",
                responsible_unit="科技项目管理科",
            )
        if published:
            v.live_revision = _revision(v, {"label": label})
            v.go_live_at = timezone.now() - dt.timedelta(days=1)
            v.save()
            dl.live_version = v
            dl.save()
    return dl


def build_site() -> dict[str, Any]:
    """A small city: the government, its science bureau with columns and items in every state, one county bureau."""
    city = make_org(
        "ycs", "银川市人民政府", kind="government", address="银川市金凤区北京中路 168 号", phone="0951-6888000",
    )
    bureau = make_org(
        "yckjj", "银川市科学技术局", parent=city, office_name="银川市科学技术局办公室",
        address="银川市金凤区北京中路 166 号", postcode="750011", office_hours="工作日 8:30-12:00，14:30-18:00",
        phone="0951-6888732", fax="0951-6888727", email="kjj@yinchuan.example",
    )
    county = make_org("xqkjj", "兴庆区科学技术局", parent=bureau)
    news = make_column(bureau, "gzdt", "工作动态", update_class="news", sort_order=1)
    notices = make_column(bureau, "tzgg", "公告通知", update_class="notice_policy", sort_order=2)
    policies = make_column(
        bureau, "zcwj", "政策文件", update_class="notice_policy", statutory_category="art20_1", sort_order=3
    )
    interp_col = make_column(bureau, "zcjd", "政策解读", parent=policies, update_class="notice_policy", sort_order=4)
    county_news = make_column(county, "xqdt", "县区动态", update_class="news")

    now = timezone.now()
    live_news = [
        make_item(news, f"市科技局召开第{i}次科技创新工作推进会", published_at=now - dt.timedelta(days=i), genre="news")
        for i in range(1, 6)
    ]
    notice = make_item(
        notices, "关于开展2024年度科技项目申报工作的通知", document_number="银科发〔2024〕3号",
        genre="notice", topic="11", keywords="科技 项目 申报", written_on=dt.date(2024, 3, 1),
        body="<p>各有关单位：现将申报事项通知如下。</p><script>alert(1)</script>",
        attachments=(("2024年度科技项目申报指南.pdf", b"%PDF-1.4 guide"),),
    )
    policy = make_item(
        policies, "银川市关于鼓励支持企业科技创新推动高质量发展的意见", document_number="银党办〔2019〕10号",
        genre="opinion", is_policy=True, is_normative=True, validity="valid", effective_on=dt.date(2019, 6, 1),
        written_on=dt.date(2019, 5, 20), keywords="科技创新 高质量发展",
        body="<p>为深入实施创新驱动发展战略，制定本意见。</p>",
    )
    interpretation = make_item(
        interp_col, "一图读懂：银川市关于鼓励支持企业科技创新推动高质量发展的意见", interprets=policy,
        interpretation_form="graphic", genre="interpretation",
    )
    county_item = make_item(county_news, "兴庆区科技局开展科技活动周", genre="news")
    draft = make_item(notices, "草稿：尚未送审的通知", state="draft", attachments=(("草稿附件.pdf", b"%PDF draft"),))
    scheduled = make_item(
        notices, "定时发布：明天才公开的通知", state="scheduled", attachments=(("定时附件.pdf", b"%PDF sched"),),
    )
    withdrawn = make_item(
        notices, "已撤稿：内容有误的通知", state="withdrawn", attachments=(("撤稿附件.pdf", b"%PDF withdrawn"),),
    )
    hidden_att = add_unpublished_attachment(notice, "未审核的新附件.pdf", b"%PDF unreviewed")
    power = make_duty_list(bureau, "power", "银川市科学技术局权力清单", [
        ("2019.11.10", dt.date(2019, 11, 10), True),
        ("2023.06.01", dt.date(2023, 6, 1), True),
        ("2025 草案", dt.date(2025, 1, 1), False),
    ])
    return {
        "city": city, "bureau": bureau, "county": county,
        "news": news, "notices": notices, "policies": policies, "interp_col": interp_col,
        "county_news": county_news, "live_news": live_news, "notice": notice, "policy": policy,
        "interpretation": interpretation, "county_item": county_item, "draft": draft, "scheduled": scheduled,
        "withdrawn": withdrawn, "hidden_attachment": hidden_att, "power": power,
    }
