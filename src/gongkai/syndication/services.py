"""Writes of 信息报送: submit an item to a column of a site above, accept it (the review engine's publish step),
and take every copy down when the source is withdrawn. Each takes the acting user, checks permission, runs in
one transaction and records an audit event."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Channel, ChannelRecord, Column, Item
from gongkai.core.services import record_event
from gongkai.orgs.selectors import can_edit
from gongkai.review import services as review_services
from gongkai.review.models import Revision
from gongkai.review.registry import PrecheckInput
from gongkai.review.selectors import open_submission
from gongkai.sites.selectors import site_of

from . import selectors
from .models import Syndication


def review_title(syndication: Syndication) -> str:
    return gettext("信息报送：%(title)s（%(org)s）") % {
        "title": syndication.source.title, "org": syndication.organisation.name}


def _check_target(item: Item, column: Column) -> None:
    target = column.organisation
    if not (column.is_active and target.path != item.organisation.path
            and item.organisation.path.startswith(target.path)):
        raise ValidationError({"column": gettext("只能报送到上级机构网站的栏目。")})


def submit(user: Any, item: Item, column: Column, *, note: str = "") -> Syndication:
    """报送: send `item` (published by the user's organisation) to `column` of a site above; it waits for the
    receiving organisation's review. Submitted once per column: a second time is refused, saying when."""
    if not can_edit(user, item.organisation):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以报送信息。"))
    note = (note or "").strip()[:300]
    if item.copy_of_id is not None:
        raise ValidationError(gettext("这是采用其他单位报送的信息，不能再次报送。"))
    _check_target(item, column)
    earlier = selectors.earlier_submission(item, column)
    if earlier is not None:
        # Refused, and noted: a department submitting the same item again is something its supervisor may ask about.
        record_event(
            actor=user, action="syndication.refused_again", obj=earlier, organisation_id=item.organisation_id,
            summary=gettext("重复报送被拒绝：“%(title)s”") % {"title": item.title[:100]},
            data={"item": item.pk, "column": column.pk, "earlier": earlier.pk},
        )
        raise ValidationError(gettext("该信息已于%(date)s报送到“%(column)s”栏目（%(status)s），不能重复报送。") % {
            "date": timezone.localtime(earlier.submitted_at).strftime("%Y-%m-%d %H:%M"), "column": column.name,
            "status": selectors.status_of(earlier).label})
    with transaction.atomic():
        locked = Item.objects.select_for_update().get(pk=item.pk)
        if not locked.is_live:
            raise ValidationError(gettext("只有已发布的信息可以报送。"))
        try:
            with transaction.atomic():
                syndication = Syndication.objects.create(
                    source=locked, column=column, organisation=locked.organisation,
                    target_organisation=column.organisation, note=note, submitted_by=user,
                )
        except IntegrityError:  # the same submission, made at the same moment by someone else
            raise ValidationError(gettext("该信息已报送到“%(column)s”栏目，不能重复报送。") % {"column": column.name}) from None
        snapshot = catalog_services.copy_snapshot(locked, column)
        revision = review_services.create_revision(syndication, snapshot, user=user, note=gettext("信息报送"))
        snap = revision.snapshot
        review_services.submit(
            user, syndication, revision, organisation=column.organisation, title=review_title(syndication),
            precheck=PrecheckInput(title=snap.get("title") or "", summary=snap.get("summary") or "",
                                   body_html=snap.get("body") or ""),
            permission_checked=True,
        )
        record_event(
            actor=user, action="syndication.submitted", obj=syndication, organisation_id=locked.organisation_id,
            summary=gettext("报送“%(title)s”到%(org)s“%(column)s”") % {
                "title": locked.title[:100], "org": column.organisation.name, "column": column.name},
            data={"item": locked.pk, "column": column.pk, "target": column.organisation_id},
        )
    return syndication


def accept(syndication: Syndication, revision: Revision, actor: Any, go_live_at: dt.datetime) -> None:
    """采用: the receiving organisation's last review step approved; the copy goes live in the column (called by
    the review engine inside its transaction). A source withdrawn meanwhile is refused with a clear message."""
    locked = Syndication.objects.select_for_update().select_related("source", "column").get(pk=syndication.pk)
    if locked.copy_id is not None:
        return
    source = locked.source
    if locked.withdrawn_at is not None or not source.is_live:
        raise ValidationError(gettext("报送单位已撤回该信息（源信息已撤稿），不能采用。"))
    copy = catalog_services.publish_copy(source, locked.column, revision.snapshot, actor, go_live_at)
    locked.copy = copy
    locked.accepted_at = timezone.now()
    locked.save(update_fields=["copy", "accepted_at"])
    # The source's channels follow from this row: the annual report counts it as published on the portal
    # (once, however many of the portal's columns took it).
    ChannelRecord.objects.get_or_create(item=source, channel=Channel.CITY_PORTAL, defaults={
        "published_on": timezone.localdate(go_live_at), "recorded_by": actor,
        "address": site_of(copy.organisation).absolute(copy.get_absolute_url()),
    })
    record_event(
        actor=actor, action="syndication.accepted", obj=locked, organisation_id=locked.target_organisation_id,
        summary=gettext("采用%(org)s报送的“%(title)s”") % {"org": source.organisation.name, "title": source.title[:100]},
        data={"item": source.pk, "copy": copy.pk, "column": locked.column_id},
    )


def source_withdrawn(item: Item, actor: Any) -> None:
    """The source is withdrawn (撤稿): every copy comes down with it, every waiting review is cancelled and the
    portal channel rows go, in the withdrawal's transaction."""
    for syndication in Syndication.objects.select_for_update().filter(source=item, withdrawn_at__isnull=True):
        waiting = open_submission(syndication)
        if waiting is not None:
            review_services.cancel(actor, waiting, permission_checked=True)
        if syndication.copy is not None:
            catalog_services.withdraw_copy(syndication.copy, actor, gettext("报送单位已撤回源信息"))
            # The portal row this submission recorded (one entered by hand names no copy and stays).
            copy_url = site_of(syndication.copy.organisation).absolute(syndication.copy.get_absolute_url())
            ChannelRecord.objects.filter(item=item, channel=Channel.CITY_PORTAL, address=copy_url).delete()
        syndication.withdrawn_at = timezone.now()
        syndication.save(update_fields=["withdrawn_at"])
        record_event(
            actor=actor, action="syndication.withdrawn", obj=syndication,
            organisation_id=syndication.target_organisation_id,
            summary=gettext("%(org)s撤回报送信息“%(title)s”") % {"org": item.organisation.name, "title": item.title[:100]},
            data={"item": item.pk, "copy": syndication.copy_id, "review_cancelled": waiting is not None},
        )
