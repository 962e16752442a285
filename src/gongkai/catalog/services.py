"""Writes of the catalog: drafting items, attachments, submitting, publishing, withdrawing, channels, duty lists.

Where an item becomes public: `publish_revision` (called by the review engine when the last step approves).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from gongkai.core import files as core_files
from gongkai.core import public_changes
from gongkai.core.concurrency import ConflictError, lock_version_of, save_version
from gongkai.core.services import next_counter_value, public_content_changed, record_event
from gongkai.core.text import sanitize_html
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import can_edit
from gongkai.review import services as review_services
from gongkai.review.models import Revision, Submission
from gongkai.review.selectors import latest_revision, open_submission

from . import search_documents
from .models import Attachment, ChannelRecord, Column, DutyEntry, DutyList, DutyListVersion, Item
from .selectors import working_copy
from .snapshots import apply_snapshot, snapshot_from_data


def _clean(data: dict[str, Any]) -> dict[str, Any]:
    data = dict(data)
    data["body"] = sanitize_html(data.get("body") or "")
    data["index_number"] = (data.get("index_number") or "").strip() or None
    return data


def _check_index_number(index_number: str | None, item_pk: int | None) -> None:
    others = Item.objects.filter(index_number=index_number)
    if item_pk is not None:
        others = others.exclude(pk=item_pk)
    if index_number and others.exists():
        raise ValidationError({"index_number": f"索引号“{index_number}”已被其他信息使用。"})


def _store_attachments(user: Any, item: Item, uploads: list[UploadedFile]) -> list[int]:
    from django.conf import settings

    ids = []
    for upload in uploads:
        detected = core_files.validate_upload(upload, max_bytes=settings.MAX_UPLOAD_BYTES)
        upload.seek(0)
        digest = hashlib.sha256()
        for chunk in upload.chunks():
            digest.update(chunk)
        upload.seek(0)
        att = Attachment(
            item=item,
            original_name=(upload.name or "附件")[:200],
            mime_type=detected.mime,
            extension=detected.extension,
            size=upload.size or 0,
            sha256=digest.hexdigest(),
            uploaded_by=user,
        )
        att.file.save(f"{att.sha256[:16]}.{att.extension}", upload, save=False)
        # Read back through the storage, not from .path: an S3-compatible storage has no local path.
        with att.file.open("rb") as stored:
            att.text = core_files.extract_text(stored, detected.mime)[:200_000]
        att.save()
        ids.append(att.pk)
    return ids


def create_item(user: Any, org: Organisation, data: dict[str, Any], uploads: list[UploadedFile] = ()) -> Item:  # type: ignore[assignment]
    """Draft a new item (草稿). `data` is validated input (see forms.ItemForm)."""
    if not can_edit(user, org):
        raise PermissionDenied("只有本机构的信息员或管理员可以起草信息。")
    data = _clean(data)
    _check_index_number(data["index_number"], None)
    with transaction.atomic():
        item = Item(organisation=org, created_by=user)
        apply_snapshot(item, snapshot_from_data(data, []))
        item.save()
        ids = _store_attachments(user, item, list(uploads))
        review_services.create_revision(item, snapshot_from_data(data, ids), user=user, note="新建")
        record_event(actor=user, action="catalog.item_created", obj=item, organisation_id=org.pk, summary=item.title)
    return item


def update_item(
    user: Any,
    item: Item,
    data: dict[str, Any],
    *,
    expected_version: int,
    uploads: list[UploadedFile] = (),  # type: ignore[assignment]
    remove_attachment_ids: list[int] = (),  # type: ignore[assignment]
) -> Item:
    """Save an edit as a new revision. The public page does not change until review approves it.

    Refused with ConflictError when someone else saved the item after `expected_version` was read.
    """
    org = item.organisation
    if not can_edit(user, org):
        raise PermissionDenied("只有本机构的信息员或管理员可以修改信息。")
    data = _clean(data)
    _check_index_number(data["index_number"], item.pk)
    with transaction.atomic():
        item = lock_version_of(item, expected_version,
                               message=gettext("该信息已被他人修改并保存，您的修改未保存。请重新打开后再编辑。"))
        if open_submission(item) is not None:
            raise ConflictError(gettext("该信息正在审核中，请先撤回送审再修改。"))
        item.updated_at = timezone.now()
        save_version(item, "updated_at")
        current = working_copy(item)
        keep = [i for i in current["attachment_ids"] if i not in set(remove_attachment_ids)]
        ids = keep + _store_attachments(user, item, list(uploads))
        snap = snapshot_from_data(data, ids)
        if not item.is_live and item.live_revision_id is None:
            apply_snapshot(item, snap)  # nothing public yet: the row may follow the draft
            item.save()
        review_services.create_revision(item, snap, user=user, note="修改")
        record_event(actor=user, action="catalog.item_updated", obj=item, organisation_id=org.pk, summary=item.title)
    return item


def submit_item(user: Any, item: Item, *, publish_at: dt.datetime | None = None) -> Submission:
    """Send the item's working copy to review (送审)."""
    snap = working_copy(item)
    if snap.get("disclosure") != Item.Disclosure.PROACTIVE:
        raise ValidationError({"disclosure": "只有“主动公开”的信息可以送审发布。"})
    rev = latest_revision(item)
    if rev is None:
        rev = review_services.create_revision(item, snapshot_from_data(snap, snap["attachment_ids"]), user=user)
    return review_services.submit(user, item, rev, publish_at=publish_at)


def _assign_index_number(item: Item, when: dt.datetime) -> None:
    local = timezone.localtime(when)
    serial = next_counter_value(f"index:{item.organisation_id}:{local.year}")
    number = item.organisation.format_index_number(local.year, local.month, serial)
    while Item.objects.filter(index_number=number).exists():  # a manually entered number took it
        serial = next_counter_value(f"index:{item.organisation_id}:{local.year}")
        number = item.organisation.format_index_number(local.year, local.month, serial)
    item.index_number = number


def publish_revision(item: Item, revision: Revision, actor: Any, go_live_at: dt.datetime) -> None:
    """Make `revision` the public version of `item` from `go_live_at`.

    An interpretation approved before its policy document waits for it, so the two go out together.
    """
    assigned = item.index_number
    apply_snapshot(item, revision.snapshot)
    # An index number, once given, stays with the item: a revision drafted before it was assigned has none.
    item.index_number = item.index_number or assigned
    item.live_revision = revision
    item.withdrawn_at = None
    item.withdrawal_reason = ""
    was_live = item.go_live_at is not None and item.go_live_at <= go_live_at and item.withdrawn_at is None
    policy = item.interprets
    if policy is not None and not policy.is_live and (policy.go_live_at is None or policy.live_revision_id is None):
        item.go_live_at = None  # goes live with its policy document
    elif not was_live:
        item.go_live_at = go_live_at  # a public item keeps the moment it first went live
    if item.published_at is None and item.go_live_at is not None:
        item.published_at = item.go_live_at
    if not item.index_number:
        _assign_index_number(item, go_live_at)
    item.save()
    search_documents.index_item(item)  # same transaction: indexed with its go-live time
    public_changes.touched("item", item.pk, at=item.go_live_at)
    if item.go_live_at is not None:
        waiting = Item.objects.filter(interprets=item, live_revision__isnull=False, go_live_at__isnull=True)
        for interp in waiting:
            interp.go_live_at = item.go_live_at
            interp.published_at = interp.published_at or item.go_live_at
            interp.save(update_fields=["go_live_at", "published_at"])
            search_documents.index_item(interp)
            public_changes.touched("item", interp.pk, at=interp.go_live_at)
    public_content_changed()  # the caller's transaction: cached public pages are obsolete from its commit


def signoff_problems(item: Item, revision: Revision) -> list[str]:
    """A normative document goes out with an interpretation (政策解读), or the approver says why not."""
    if revision.snapshot.get("is_normative") and not Item.objects.filter(
        interprets=item, live_revision__isnull=False
    ).exists():
        return ["该规范性文件尚无已通过审核的政策解读"]
    return []


def withdraw_item(user: Any, item: Item, reason: str) -> Item:
    """撤稿: take a published item off the portal, with a reason. Its versions are kept."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": "请填写撤稿理由（至少4个字）。"})
    if not can_edit(user, item.organisation):
        raise PermissionDenied("只有本机构的信息员或管理员可以撤稿。")
    with transaction.atomic():
        locked = lock_version_of(item, None)
        if locked.live_revision_id is None:
            raise ConflictError(gettext("该信息未发布，无需撤稿。"))
        locked.live_revision = None
        locked.go_live_at = None
        locked.withdrawn_at = timezone.now()
        locked.withdrawal_reason = reason[:300]
        save_version(locked)
        search_documents.unindex_item(locked)
        public_changes.touched("item", locked.pk)
        public_content_changed()  # same transaction: cached public pages are obsolete from its commit
        record_event(
            actor=user, action="catalog.item_withdrawn", obj=locked, organisation_id=locked.organisation_id,
            summary=f"撤稿：{locked.title}", data={"reason": reason[:300]},
        )
    return locked


def delete_draft(user: Any, item: Item) -> None:
    """Delete an item that was never published."""
    if not can_edit(user, item.organisation):
        raise PermissionDenied("只有本机构的信息员或管理员可以删除草稿。")
    with transaction.atomic():
        if item.published_at is not None or item.live_revision_id is not None:
            raise ConflictError("已发布过的信息不能删除，只能撤稿。")
        if open_submission(item) is not None:
            raise ConflictError("该信息正在审核中，请先撤回送审。")
        record_event(actor=user, action="catalog.draft_deleted", obj=item, organisation_id=item.organisation_id,
                     summary=item.title)
        from gongkai.review.selectors import revisions_of, submissions_of

        submissions_of(item).delete()
        revisions_of(item).delete()
        item.delete()


def record_channel(user: Any, item: Item, *, channel: str, published_on: dt.date, address: str = "") -> ChannelRecord:
    """Record that a published item also went out on another channel (门户、微信、微博)."""
    if not can_edit(user, item.organisation):
        raise PermissionDenied("只有本机构的信息员或管理员可以登记发布渠道。")
    if item.published_at is None:
        raise ConflictError("信息尚未发布，不能登记其他渠道。")
    with transaction.atomic():
        record, _ = ChannelRecord.objects.update_or_create(
            item=item, channel=channel,
            defaults={"published_on": published_on, "address": address, "recorded_by": user},
        )
        record_event(actor=user, action="catalog.channel_recorded", obj=item, organisation_id=item.organisation_id,
                     summary=f"{record.get_channel_display()}：{item.title}")
    return record


def create_column(user: Any, org: Organisation, **fields: Any) -> Column:
    if not can_edit(user, org):
        raise PermissionDenied("没有权限。")
    with transaction.atomic():
        column = Column(organisation=org, **fields)
        column.full_clean()
        column.save()
        record_event(actor=user, action="catalog.column_created", obj=column, organisation_id=org.pk, summary=column.name)
    return column


# ---- 权责清单 -------------------------------------------------------------------------------------

ENTRY_FIELDS = ["code", "name", "category", "basis", "responsible_unit", "duties", "accountability"]


def create_duty_list_version(
    user: Any,
    org: Organisation,
    *,
    kind: str,
    label: str,
    effective_on: dt.date,
    note: str,
    entries: list[dict[str, str]],
) -> DutyListVersion:
    """A new version of the organisation's power or responsibility list, as a draft to review."""
    if not can_edit(user, org):
        raise PermissionDenied("只有本机构的信息员或管理员可以编制权责清单。")
    if kind not in DutyList.Kind.values:
        raise ValidationError({"kind": "清单类型无效。"})
    if not entries:
        raise ValidationError({"entries": "清单至少应包含一个事项。"})
    for n, entry in enumerate(entries, start=1):
        if not (entry.get("name") or "").strip() or not (entry.get("category") or "").strip():
            raise ValidationError({"entries": f"第{n}行缺少事项名称或事项类型。"})
    with transaction.atomic():
        duty_list, _ = DutyList.objects.get_or_create(
            organisation=org, kind=kind,
            defaults={"title": f"{org.name}{DutyList.Kind(kind).label}"},
        )
        version = DutyListVersion.objects.create(
            duty_list=duty_list, label=label, effective_on=effective_on, note=note, created_by=user
        )
        for n, entry in enumerate(entries, start=1):
            DutyEntry.objects.create(version=version, order=n, **{f: (entry.get(f) or "").strip() for f in ENTRY_FIELDS})
        review_services.create_revision(version, duty_version_snapshot(version), user=user, note="新建")
        record_event(actor=user, action="catalog.duty_version_created", obj=version, organisation_id=org.pk,
                     summary=str(version))
    return version


def duty_version_snapshot(version: DutyListVersion) -> dict[str, Any]:
    return {
        "label": version.label,
        "effective_on": version.effective_on.isoformat(),
        "note": version.note,
        "entries": [{f: getattr(e, f) for f in ENTRY_FIELDS} for e in version.entries.all()],
    }


def submit_duty_version(user: Any, version: DutyListVersion) -> Submission:
    rev = latest_revision(version)
    assert rev is not None
    return review_services.submit(user, version, rev)


def publish_duty_version(version: DutyListVersion, revision: Revision, actor: Any, go_live_at: dt.datetime) -> None:
    """The approved version becomes the list's public one; earlier versions stay readable as history."""
    version.live_revision = revision
    version.go_live_at = go_live_at
    version.save(update_fields=["live_revision", "go_live_at"])
    DutyList.objects.filter(pk=version.duty_list_id).update(live_version=version)
    public_changes.touched("duties", version.duty_list.organisation_id, at=go_live_at)
    public_content_changed()  # the caller's transaction (an update() sends no signal)
