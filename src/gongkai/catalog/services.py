"""Writes of the catalog: drafting items, attachments, submitting, publishing, withdrawing, channels, duty lists.

Where an item becomes public: `publish_revision` (called by the review engine when the last step approves).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext

from gongkai.core import files as core_files
from gongkai.core import public_changes
from gongkai.core.concurrency import ConflictError, lock_version_of, save_version
from gongkai.core.rich_text import image_sources, sanitize_html
from gongkai.core.services import next_counter_value, public_content_changed, record_event
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import can_edit
from gongkai.review import services as review_services
from gongkai.review.models import Revision, Submission
from gongkai.review.prechecks import AttachmentText
from gongkai.review.registry import PrecheckInput
from gongkai.review.selectors import latest_revision, open_submission

from . import search_documents, selectors
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
        raise ValidationError({"index_number": gettext("索引号“%(index_number)s”已被其他信息使用。") % {"index_number": index_number}})


def _store_file(
    user: Any, org: Organisation, upload: UploadedFile, detected: core_files.DetectedType, *,
    item: Item | None, purpose: str,
) -> Attachment:
    """Store one upload that `core.files.validate_upload` accepted, with its extracted text."""
    upload.seek(0)
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    att = Attachment(
        item=item,
        organisation=org,
        purpose=purpose,
        original_name=(upload.name or gettext("附件"))[:200],
        mime_type=detected.mime,
        extension=detected.extension,
        size=upload.size or 0,
        sha256=digest.hexdigest(),
        uploaded_by=user,
    )
    att.file.save(f"{att.sha256[:16]}.{att.extension}", upload, save=False)
    # Read back through the storage, not from .path: an S3-compatible storage has no local path.
    with att.file.open("rb") as stored:
        extraction = core_files.extract(stored, detected.mime)
    att.text = extraction.text
    att.text_places = [list(place) for place in extraction.places]
    att.text_problem = extraction.problem
    att.text_unread = list(extraction.unread)
    att.save()
    return att


def _store_attachments(user: Any, item: Item, uploads: list[UploadedFile]) -> list[int]:
    from django.conf import settings

    checked = [(upload, core_files.validate_upload(upload, max_bytes=settings.MAX_UPLOAD_BYTES)) for upload in uploads]
    return [
        _store_file(user, item.organisation, upload, detected, item=item, purpose=Attachment.Purpose.FILE).pk
        for upload, detected in checked
    ]


# Pictures in a body: the types every browser shows.
BODY_IMAGE_EXTENSIONS = frozenset({"jpg", "png", "gif", "webp"})
_BODY_IMAGE_SRC = re.compile(r"^/attachments/([0-9]+)/$")


def upload_body_image(user: Any, org: Organisation, upload: UploadedFile, *, item: Item | None = None) -> Attachment:
    """Store a picture pasted or inserted into an item's body (正文图片), checked by content like any attachment.

    It is served to the public only once an approved revision of its item lists it (`image_ids`); until the
    draft is saved it belongs to no item. Refused: other organisations' items, non-pictures, oversized files.
    """
    from django.conf import settings

    if not can_edit(user, org) or (item is not None and item.organisation_id != org.pk):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以上传正文图片。"))
    detected = core_files.validate_upload(upload, max_bytes=settings.MAX_UPLOAD_BYTES)
    if detected.extension not in BODY_IMAGE_EXTENSIONS:
        raise ValidationError(gettext("正文中只能插入 JPG、PNG、GIF 或 WebP 图片；其他文件请作为附件上传。"), code="not_an_image")
    with transaction.atomic():
        att = _store_file(user, org, upload, detected, item=item, purpose=Attachment.Purpose.BODY_IMAGE)
        record_event(
            actor=user, action="catalog.body_image_uploaded", obj=att, organisation_id=org.pk,
            summary=gettext("上传正文图片：%(original_name)s") % {"original_name": att.original_name}, data={"item": item.pk if item else None, "size": att.size},
        )
    return att


def _bind_body_images(item: Item, body: str) -> list[int]:
    """The ids of the site's pictures in `body` (sanitised); pictures not yet bound are bound to `item`.

    A picture of another organisation, another item or a file that is not a picture is refused: it would not
    be shown when this item is published.
    """
    wanted: list[int] = []
    for n, src in enumerate(image_sources(body), start=1):
        found = _BODY_IMAGE_SRC.match(src)
        if found is None:
            continue
        pk = int(found.group(1))
        att = Attachment.objects.filter(pk=pk).first()
        usable = (
            att is not None and att.purpose == Attachment.Purpose.BODY_IMAGE
            and att.organisation_id == item.organisation_id and att.item_id in (None, item.pk)
        )
        if not usable:
            raise ValidationError({"body": gettext("正文中的第%(n)s张图片不是为本信息上传的图片或已不存在，请删除后重新插入。") % {"n": n}})
        if pk not in wanted:
            wanted.append(pk)
    Attachment.objects.filter(pk__in=wanted, item__isnull=True).update(item=item)
    return sorted(wanted)


def delete_unused_body_images(older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Pictures pasted into a body that was never saved (run by the worker); they were never public."""
    stale = Attachment.objects.filter(
        purpose=Attachment.Purpose.BODY_IMAGE, item__isnull=True, uploaded_at__lt=timezone.now() - older_than
    )
    count = 0
    for att in stale:
        att.file.delete(save=False)
        att.delete()
        count += 1
    return count


def create_item(user: Any, org: Organisation, data: dict[str, Any], uploads: list[UploadedFile] = ()) -> Item:  # type: ignore[assignment]
    """Draft a new item (草稿). `data` is validated input (see forms.ItemForm)."""
    if not can_edit(user, org):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以起草信息。"))
    data = _clean(data)
    _check_index_number(data["index_number"], None)
    with transaction.atomic():
        item = Item(organisation=org, created_by=user)
        apply_snapshot(item, snapshot_from_data(data, []))
        item.save()
        images = _bind_body_images(item, data["body"])
        ids = _store_attachments(user, item, list(uploads))
        review_services.create_revision(item, snapshot_from_data(data, ids, images), user=user, note=gettext("新建"))
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
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以修改信息。"))
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
        snap = snapshot_from_data(data, ids, _bind_body_images(item, data["body"]))
        if not item.is_live and item.live_revision_id is None:
            apply_snapshot(item, snap)  # nothing public yet: the row may follow the draft
            item.save()
        review_services.create_revision(item, snap, user=user, note=gettext("修改"))
        record_event(actor=user, action="catalog.item_updated", obj=item, organisation_id=org.pk, summary=item.title)
    return item


def submit_item(user: Any, item: Item, *, publish_at: dt.datetime | None = None) -> Submission:
    """Send the item's working copy to review (送审)."""
    snap = working_copy(item)
    if snap.get("disclosure") != Item.Disclosure.PROACTIVE:
        raise ValidationError({"disclosure": gettext("只有“主动公开”的信息可以送审发布。")})
    rev = latest_revision(item)
    if rev is None:
        rev = review_services.create_revision(
            item, snapshot_from_data(snap, snap["attachment_ids"], snap["image_ids"]), user=user
        )
    return review_services.submit(
        user, item, rev, organisation=item.organisation, title=rev.snapshot.get("title") or item.title,
        precheck=_item_precheck(rev), publish_at=publish_at,
    )


def _item_precheck(revision: Revision) -> PrecheckInput:
    """What the pre-checks read in an item's revision: title, summary and body, and each listed file's text."""
    snap = revision.snapshot
    files = Attachment.objects.filter(
        pk__in=snap.get("attachment_ids", []), purpose=Attachment.Purpose.FILE
    ).order_by("id")
    return PrecheckInput(
        title=snap.get("title") or "",
        summary=snap.get("summary") or "",
        body_html=snap.get("body") or "",
        attachments=tuple(
            AttachmentText(
                a.pk, a.original_name, a.extraction,
                type_label=(
                    str(core_files.ALLOWED_TYPES[a.extension].label) if a.extension in core_files.ALLOWED_TYPES
                    else a.extension
                ),
            )
            for a in files
        ),
        link_checker=selectors.is_public_url,
    )


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
        return [gettext("该规范性文件尚无已通过审核的政策解读")]
    return []


# Called with (item, actor) inside the transaction that withdraws an item: apps above the catalog that keep
# something tied to a public item (信息报送's copies) take it down in the same transaction.
_withdrawal_hooks: list[Callable[[Item, Any], None]] = []


def on_item_withdrawn(hook: Callable[[Item, Any], None]) -> None:
    if hook not in _withdrawal_hooks:
        _withdrawal_hooks.append(hook)


def withdraw_item(user: Any, item: Item, reason: str) -> Item:
    """撤稿: take a published item off the portal, with a reason. Its versions are kept."""
    reason = (reason or "").strip()
    if len(reason) < 4:
        raise ValidationError({"reason": gettext("请填写撤稿理由（至少4个字）。")})
    if not can_edit(user, item.organisation):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以撤稿。"))
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
            summary=gettext("撤稿：%(title)s") % {"title": locked.title}, data={"reason": reason[:300]},
        )
        for hook in _withdrawal_hooks:
            hook(locked, user)
    return locked


def copy_snapshot(source: Item, column: Column) -> dict[str, Any]:
    """What a copy of `source`'s public version in `column` (of another organisation) shows: its text and
    properties, without its index number (the copy shows the source's), attachments or interpretation links."""
    if source.live_revision is None:
        raise ValidationError(gettext("该信息未发布，不能报送。"))
    snap = dict(source.live_revision.snapshot)
    snap.update(column_id=column.pk, index_number=None, interprets_id=None, attachment_ids=[])
    return snap


def publish_copy(source: Item, column: Column, snapshot: dict[str, Any], actor: Any, go_live_at: dt.datetime) -> Item:
    """A copy of `source` goes live in `column` (信息报送 accepted), in the caller's transaction. No permission
    check here: the receiving organisation's review approved it."""
    copy = Item(organisation=column.organisation, copy_of=source, created_by=actor)
    apply_snapshot(copy, snapshot)
    copy.column = column
    copy.index_number = None
    copy.save()
    revision = review_services.create_revision(copy, snapshot, user=actor, note=gettext("报送采用"))
    copy.live_revision = revision
    copy.go_live_at = copy.published_at = go_live_at
    copy.save(update_fields=["live_revision", "go_live_at", "published_at"])
    search_documents.index_item(copy)
    public_changes.touched("item", copy.pk, at=go_live_at)
    public_content_changed()
    record_event(
        actor=actor, action="catalog.copy_published", obj=copy, organisation_id=copy.organisation_id,
        summary=gettext("采用报送信息：%(title)s") % {"title": copy.title}, data={"source": source.pk, "column": column.pk},
    )
    return copy


def withdraw_copy(copy: Item, actor: Any, reason: str) -> None:
    """Take a copy down with its source (信息报送), in the caller's transaction."""
    locked = Item.objects.select_for_update().get(pk=copy.pk)
    if locked.live_revision_id is None:
        return
    locked.live_revision = None
    locked.go_live_at = None
    locked.withdrawn_at = timezone.now()
    locked.withdrawal_reason = reason[:300]
    locked.save(update_fields=["live_revision", "go_live_at", "withdrawn_at", "withdrawal_reason"])
    search_documents.unindex_item(locked)
    public_changes.touched("item", locked.pk)
    public_content_changed()
    record_event(
        actor=actor, action="catalog.item_withdrawn", obj=locked, organisation_id=locked.organisation_id,
        summary=gettext("撤稿：%(title)s") % {"title": locked.title}, data={"reason": reason[:300], "with_source": locked.copy_of_id},
    )


def delete_draft(user: Any, item: Item) -> None:
    """Delete an item that was never published."""
    if not can_edit(user, item.organisation):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以删除草稿。"))
    with transaction.atomic():
        if item.published_at is not None or item.live_revision_id is not None:
            raise ConflictError(gettext("已发布过的信息不能删除，只能撤稿。"))
        if open_submission(item) is not None:
            raise ConflictError(gettext("该信息正在审核中，请先撤回送审。"))
        record_event(actor=user, action="catalog.draft_deleted", obj=item, organisation_id=item.organisation_id,
                     summary=item.title)
        from gongkai.review.selectors import revisions_of, submissions_of

        submissions_of(item).delete()
        revisions_of(item).delete()
        item.delete()


def record_channel(user: Any, item: Item, *, channel: str, published_on: dt.date, address: str = "") -> ChannelRecord:
    """Record that a published item also went out on another channel (门户、微信、微博)."""
    if not can_edit(user, item.organisation):
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以登记发布渠道。"))
    if item.published_at is None:
        raise ConflictError(gettext("信息尚未发布，不能登记其他渠道。"))
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
        raise PermissionDenied(gettext("没有权限。"))
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
        raise PermissionDenied(gettext("只有本机构的信息员或管理员可以编制权责清单。"))
    if kind not in DutyList.Kind.values:
        raise ValidationError({"kind": gettext("清单类型无效。")})
    if not entries:
        raise ValidationError({"entries": gettext("清单至少应包含一个事项。")})
    for n, entry in enumerate(entries, start=1):
        if not (entry.get("name") or "").strip() or not (entry.get("category") or "").strip():
            raise ValidationError({"entries": gettext("第%(n)s行缺少事项名称或事项类型。") % {"n": n}})
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
        review_services.create_revision(version, duty_version_snapshot(version), user=user, note=gettext("新建"))
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
    rows = [" ".join(str(v) for v in e.values()) for e in rev.snapshot.get("entries", [])]
    precheck = PrecheckInput(
        title=str(version), body_html="\n".join(f"<p>{escape(r)}</p>" for r in rows),
        link_checker=selectors.is_public_url,
    )
    return review_services.submit(
        user, version, rev, organisation=version.duty_list.organisation, title=str(version), precheck=precheck
    )


def publish_duty_version(version: DutyListVersion, revision: Revision, actor: Any, go_live_at: dt.datetime) -> None:
    """The approved version becomes the list's public one; earlier versions stay readable as history."""
    version.live_revision = revision
    version.go_live_at = go_live_at
    version.save(update_fields=["live_revision", "go_live_at"])
    DutyList.objects.filter(pk=version.duty_list_id).update(live_version=version)
    public_changes.touched("duties", version.duty_list.organisation_id, at=go_live_at)
    public_content_changed()  # the caller's transaction (an update() sends no signal)
