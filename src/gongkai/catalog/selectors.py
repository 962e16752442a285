"""Reads of the catalog, for the portal, the workspace, reports and inspection.

Public reads go through `live_items()`: nothing unpublished, scheduled or withdrawn ever leaves here.
Lists page by keyset (published_at, id), so deep pages cost what the first one does.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, F, Q, QuerySet
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.core.db import MAX_KEY, Unindexed, prepared
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import OrganisationScope, can_view_unpublished, subtree, visible_organisation_ids
from gongkai.review.models import Revision
from gongkai.review.selectors import latest_revision

from .models import Attachment, ChannelRecord, Column, DutyEntry, DutyList, DutyListVersion, Item
from .snapshots import ITEM_FIELDS, data_from_snapshot


def live_items() -> QuerySet[Item]:
    return _live_items(timezone.now())


def _live_items(now: dt.datetime) -> QuerySet[Item]:
    return Item.objects.live(now).select_related("organisation", "column")


def live_item(pk: int) -> Item | None:
    if not 0 < pk <= MAX_KEY:
        return None
    found = prepared(Item, "live_item", lambda pk, now: _live_items(now).filter(pk=pk)[:1], pk, timezone.now())
    item = found[0] if found else None
    if item is not None and item.column.organisation_id == item.organisation_id:
        item.column.organisation = item.organisation  # the column's address needs it: no second query
    return item


def _is_public(att: Attachment) -> bool:
    item = att.item
    if item is None or not item.is_live or item.live_revision is None:
        return False
    listed = "image_ids" if att.purpose == Attachment.Purpose.BODY_IMAGE else "attachment_ids"
    return att.pk in item.live_revision.snapshot.get(listed, [])


def live_attachment(pk: int) -> Attachment | None:
    """An attachment (or a picture of a body) is public when its item is live and the live revision lists it."""
    att = Attachment.objects.select_related("item", "item__live_revision").filter(pk=pk).first()
    return att if att is not None and _is_public(att) else None


def attachment_for(pk: int, user: Any) -> tuple[Attachment, bool] | None:
    """(attachment, is it public) for someone who may see it: anyone once it is public; before that, the staff
    who may read the organisation's unpublished content (a draft's preview, a review task). None otherwise."""
    att = Attachment.objects.select_related("item", "item__live_revision", "organisation").filter(pk=pk).first()
    if att is None:
        return None
    if _is_public(att):
        return att, True
    if getattr(user, "is_authenticated", False) and can_view_unpublished(user, att.organisation):
        return att, False
    return None


def public_attachments(item: Item) -> list[Attachment]:
    if item.live_revision_id is None:
        return []
    if Item.live_revision.is_cached(item):
        assert item.live_revision is not None
        listed = item.live_revision.snapshot.get("attachment_ids")
    else:  # the list alone, not the whole snapshot (which repeats the body)
        found = prepared(Revision, "attachment_ids", lambda pk: Revision.objects.filter(pk=pk).values_list(
            "snapshot__attachment_ids", flat=True), item.live_revision_id)
        listed = found[0] if found else None
    ids = [pk for pk in listed or [] if isinstance(pk, int) and 0 < pk <= MAX_KEY]
    if not ids:
        return []
    return prepared(Attachment, "public_attachments",
                    lambda *ids: Attachment.objects.filter(pk__in=ids).order_by("id"), *ids)


def live_interpretations(item: Item) -> list[Item]:
    return prepared(Item, "live_interpretations",
                    lambda pk, now: _live_items(now).filter(interprets_id=pk).order_by("published_at"),
                    item.pk, timezone.now())


def columns_of(org: Organisation) -> QuerySet[Column]:
    return Column.objects.filter(organisation=org, is_active=True).order_by("sort_order", "id")


def active_columns_of(org: Organisation) -> list[Column]:
    """columns_of(org) as a list, each column's organisation set to `org` (its address needs the code)."""
    columns: list[Column] = prepared(Column, "active_columns_of", lambda pk: Column.objects.filter(
        organisation_id=pk, is_active=True).order_by("sort_order", "id"), org.pk)
    for column in columns:
        column.organisation = org
    return columns


def column_by_slug(org: Organisation, slug: str) -> Column | None:
    return Column.objects.filter(organisation=org, slug=slug, is_active=True).first()


@dataclass(frozen=True)
class Page:
    items: list[Item]
    next_cursor: str | None
    has_previous: bool


def _encode(item: Item) -> str:
    assert item.published_at is not None
    return f"{item.published_at.timestamp():.6f}_{item.pk}"


def _decode(cursor: str) -> tuple[dt.datetime, int] | None:
    try:
        ts, pk = cursor.split("_", 1)
        position = dt.datetime.fromtimestamp(float(ts), tz=dt.UTC), int(pk)
    except (ValueError, OverflowError, OSError):
        return None
    return position if abs(position[1]) <= MAX_KEY else None


def page_of(qs: QuerySet[Item], *, cursor: str | None, size: int = 20) -> Page:
    """One page of items newest first, after `cursor` (keyset pagination; a bad cursor means page one)."""
    qs = qs.order_by("-published_at", "-id")
    position = _decode(cursor) if cursor else None
    if position is not None:
        when, pk = position
        qs = qs.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
    items = list(qs[: size + 1])
    next_cursor = _encode(items[size - 1]) if len(items) > size else None
    return Page(items=items[:size], next_cursor=next_cursor, has_previous=position is not None)


# What a public list shows of an item (its link, title and date; 解读 marks): lists load these fields only, since
# building whole rows with their organisation and column was most of a list page's first render.
LIST_FIELDS = ("id", "title", "interprets_id", "published_at")


def live_page(key: Hashable, build: Callable[..., QuerySet[Item]], args: Sequence[int], *, cursor: str | None,
              size: int = 20) -> Page:
    """`page_of(build(now, *args), ...)` over live items, with its SQL built once per shape (core.db.prepared):
    `key` names the shape of `build`, `args` its values (ints)."""
    position = _decode(cursor) if cursor else None
    count = len(args)

    def query(*values: Any) -> QuerySet[Item]:
        qs = build(values[count], *values[:count]).order_by("-published_at", "-id")
        if position is not None:
            when, pk = values[count + 1], values[count + 2]
            qs = qs.filter(Q(published_at__lt=when) | Q(published_at=when, pk__lt=pk))
        return qs[: size + 1]

    items = prepared(Item, ("live_page", key, size, position is not None), query,
                     *args, timezone.now(), *(position or ()))
    next_cursor = _encode(items[size - 1]) if len(items) > size else None
    return Page(items=items[:size], next_cursor=next_cursor, has_previous=position is not None)


def column_page(column: Column, child_ids: list[int], *, cursor: str | None, size: int = 20) -> Page:
    """A page of `column_items(column, child_ids)`, newest first (page_of); the items carry LIST_FIELDS only."""
    return live_page("column", lambda now, *ids: Item.objects.live(now).filter(column_id__in=ids).only(*LIST_FIELDS),
                     [column.pk, *child_ids], cursor=cursor, size=size)


# Numbered pages reach this many items (100 pages of 20); a count never looks further (bounded count), so a page
# costs the same at a million items as at ten thousand. Past it, 下一页 goes on by keyset (page_of), as deep as
# the catalog goes. 10,000 cost 30-70 ms per count and 100 ms for page 500 at 200,000 items (docs/benchmarks.md).
COUNT_CAP = 2_000


@dataclass(frozen=True)
class NumberedPage:
    """One numbered page of a catalog list (第 N 页): its items, the count (exact up to COUNT_CAP, else
    "more than"), and a keyset cursor to go on from the last numbered page when there are more."""

    items: list[Item]
    number: int
    size: int
    total: int
    total_is_lower_bound: bool
    next_cursor: str | None

    @property
    def page_count(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def has_next(self) -> bool:
        return self.number < self.page_count

    @property
    def numbers(self) -> list[int | None]:
        """Page numbers to offer: the first, the last and two either side of this one; None marks a gap."""
        last = self.page_count
        wanted = sorted({1, last, *range(max(1, self.number - 2), min(last, self.number + 2) + 1)})
        shown: list[int | None] = []
        for n in wanted:
            if shown and n - (shown[-1] or 0) > 1:
                shown.append(None)
            shown.append(n)
        return shown


def bounded_count(qs: QuerySet[Item], cap: int = COUNT_CAP) -> int:
    """How many rows `qs` has, counting at most cap + 1 (more than `cap` reads as cap + 1)."""
    return qs.order_by()[: cap + 1].count()


def numbered_page(qs: QuerySet[Item], number: int, *, size: int = 20, cap: int = COUNT_CAP,
                  total: int | None = None) -> NumberedPage | None:
    """Page `number` of `qs`, newest first, with a bounded count (`total`, if the caller kept one from
    `bounded_count`); None when there is no such page."""
    total = bounded_count(qs, cap) if total is None else total
    capped = total > cap
    total = min(total, cap)
    if not 1 <= number <= max(1, -(-total // size)):
        return None
    start = (number - 1) * size
    items = list(qs.order_by("-published_at", "-id")[start : start + size + 1])
    last_numbered = start + size >= total
    next_cursor = _encode(items[size - 1]) if capped and last_numbered and len(items) > size else None
    return NumberedPage(items=items[:size], number=number, size=size, total=total,
                        total_is_lower_bound=capped, next_cursor=next_cursor)


def child_column_ids(column: Column) -> list[int]:
    return prepared(Column, "child_column_ids",
                    lambda pk: Column.objects.filter(parent_id=pk).order_by().values_list("pk", flat=True), column.pk)


def column_items(column: Column, child_ids: list[int] | None = None) -> QuerySet[Item]:
    """The live items of a column and its direct children (`child_ids`, if the caller has them already)."""
    ids = [column.pk, *(child_column_ids(column) if child_ids is None else child_ids)]
    return live_items().filter(column_id__in=ids)


@dataclass(frozen=True)
class CatalogFilters:
    organisation: Organisation | None = None
    column: Column | None = None  # with its direct children; a column of `organisation`
    topic: str = ""
    genre: str = ""
    year: int | None = None
    validity: str = ""
    query: str = ""
    scope: OrganisationScope | None = None  # the site's organisations (None: all)


# Up to this many organisations, a subtree filter lists their ids; beyond, it matches their path.
SUBTREE_ID_LIMIT = 200


def _organisation_subtree_filter(org: Organisation) -> dict[str, Any]:
    """The items of `org` and everything under it. By ids when the subtree is small, so that the database can
    use the (organisation, published_at) index: matching the path through a join made SQLite walk the topic's
    whole index for a small office (0.3–0.4 s against 5 ms at 1,000,000 items); a large subtree has enough
    items for that walk to stop early."""
    ids = list(subtree(org).order_by().values_list("pk", flat=True)[: SUBTREE_ID_LIMIT + 1])
    if len(ids) == 1:
        return {"organisation_id": ids[0]}
    if len(ids) <= SUBTREE_ID_LIMIT:
        return {"organisation_id__in": ids}
    return {"organisation__path__startswith": org.path}


def scope_filter(scope: OrganisationScope | None) -> Q:
    """Items of the organisations of `scope` (a site's): by ids while they are few (see above), else by path."""
    shape, ids = _scope_shape(scope)
    return _scope_q(shape, ids)


def _scope_shape(scope: OrganisationScope | None) -> tuple[Hashable, list[int]]:
    """scope_filter's filter as (what shapes its SQL, the organisation ids it lists)."""
    if scope is None or scope.is_everything:
        return "all", []
    ids = list(Organisation.objects.filter(scope.q()).order_by().values_list("pk", flat=True)[: SUBTREE_ID_LIMIT + 1])
    if len(ids) <= SUBTREE_ID_LIMIT:
        return "ids", ids
    return ("path", scope), []


def _scope_q(shape: Hashable, ids: Sequence[int]) -> Q:
    if shape == "all":
        return Q()
    if shape == "ids":
        return Q(organisation_id__in=ids)
    assert isinstance(shape, tuple)
    return shape[1].q("organisation__")


def browse(filters: CatalogFilters) -> QuerySet[Item]:
    """The catalog browser (目录浏览): live items filtered by organisation, topic, genre, year and validity."""
    qs = live_items()
    if filters.scope is not None and filters.organisation is None:
        qs = qs.filter(scope_filter(filters.scope))
    if filters.column is not None:
        qs = qs.filter(column_id__in=[filters.column.pk, *child_column_ids(filters.column)])
    elif filters.organisation is not None:
        qs = qs.filter(**_organisation_subtree_filter(filters.organisation))
    if filters.topic:
        qs = qs.filter(topic=filters.topic)
    if filters.genre:
        qs = qs.filter(genre=filters.genre)
    if filters.year:
        start = timezone.make_aware(dt.datetime(filters.year, 1, 1))
        end = timezone.make_aware(dt.datetime(filters.year + 1, 1, 1))
        qs = qs.filter(published_at__gte=start, published_at__lt=end)
    if filters.validity:
        qs = qs.filter(validity=filters.validity)
    if filters.query:
        qs = qs.filter(Q(title__icontains=filters.query) | Q(document_number__icontains=filters.query))
    return qs


# What the catalog's result table shows of an item (portal/_results_table.html).
TABLE_FIELDS = ("id", "index_number", "title", "document_number", "published_at", "organisation__name")


def browse_table(filters: CatalogFilters) -> QuerySet[Item]:
    """browse(filters) loading what the catalog's table shows only (a page of whole rows with their organisation
    and column cost more than the rest of its first render)."""
    return browse(filters).select_related(None).select_related("organisation").only(*TABLE_FIELDS)


def latest_live(org: Organisation | None = None, *, limit: int = 8, column_slug: str = "") -> list[Item]:
    qs = live_items()
    if org is not None:
        qs = qs.filter(organisation=org)
    if column_slug:
        qs = qs.filter(column__slug=column_slug)
    return list(qs.order_by("-published_at", "-id")[:limit])


def live_year_range() -> list[int]:
    first = live_items().order_by("published_at").values_list("published_at", flat=True).first()
    if first is None:
        return []
    this_year = timezone.localdate().year
    return list(range(this_year, timezone.localtime(first).year - 1, -1))


def published_duty_lists(org: Organisation) -> list[DutyList]:
    return [dl for dl in DutyList.objects.filter(organisation=org).select_related("live_version")
            if dl.live_version is not None and dl.live_version.is_live]


def published_duty_versions(duty_list: DutyList) -> list[DutyListVersion]:
    return [v for v in duty_list.versions.order_by("-effective_on", "-id") if v.is_live]


def duty_list_of(org: Organisation, kind: str) -> DutyList | None:
    return DutyList.objects.filter(organisation=org, kind=kind).first()


def is_public_url(url: str) -> bool:
    """Whether a site-relative address leads to something the public can reach (for the dead-link pre-check)."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    try:
        match = resolve(path)
    except Resolver404:
        return False
    if match.view_name == "portal:item":
        return live_item(int(match.kwargs["pk"])) is not None
    if match.view_name == "portal:attachment":
        return live_attachment(int(match.kwargs["pk"])) is not None
    if match.view_name in {"portal:org", "portal:column", "portal:guide", "portal:duty_lists", "portal:duty_list"}:
        code = match.kwargs.get("code")
        org = Organisation.objects.filter(code=code).first()
        if org is None:
            return False
        if match.view_name == "portal:column":
            return column_by_slug(org, match.kwargs["slug"]) is not None
    return not match.view_name.startswith(("workspace:", "admin:"))


# ---- workspace reads --------------------------------------------------------------------------

def staff_items(user: Any, org: Organisation | None = None) -> QuerySet[Item]:
    """Items whose unpublished state `user` may see."""
    qs = Item.objects.select_related("organisation", "column", "created_by")
    visible = visible_organisation_ids(user)
    if visible is not None:
        qs = qs.filter(organisation_id__in=visible)
    if org is not None:
        qs = qs.filter(organisation=org)
    return qs


def staff_item(user: Any, pk: int) -> Item | None:
    """One item whose unpublished state `user` may see; None for another office's item, as for a missing one."""
    return staff_items(user).filter(pk=pk).first()


def interpretations_of(item: Item) -> QuerySet[Item]:
    """Interpretations (政策解读) of `item` in any state, for staff."""
    return Item.objects.filter(interprets=item)


def channel_counts(org: Organisation, year: int) -> dict[str, int]:
    """How many items went out on each channel in `year` (for the annual report's section 一)."""
    rows = (
        ChannelRecord.objects.filter(item__organisation=org, published_on__year=year)
        .values("channel").annotate(n=Count("id"))
    )
    return {r["channel"]: r["n"] for r in rows}


STAFF_STATES = [
    ("draft", _("草稿")),
    ("in_review", _("审核中")),
    ("returned", _("已退回")),
    ("scheduled", _("待发布")),
    ("published", _("已发布")),
    ("withdrawn", _("已撤稿")),
]
STATE_LABELS = dict(STAFF_STATES)


def _with_stage(qs: QuerySet[Item]) -> QuerySet[Any]:  # Any: mypy cannot follow the annotations across calls
    """`qs` annotated with `stage` (one of STAFF_STATES, the same words on every staff page), read from the
    latest submission and the public pointer, and `held_at` (the open review step's name, 审核中 only)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Case, CharField, OuterRef, Subquery, Value, When

    from gongkai.review.models import StepTask, Submission

    latest = Submission.objects.filter(
        content_type=ContentType.objects.get_for_model(Item), object_id=OuterRef("pk")
    ).order_by("-submitted_at", "-id")
    open_task = StepTask.objects.filter(
        submission=OuterRef("latest_submission"), status=StepTask.Status.PENDING
    ).order_by("order")
    now = timezone.now()
    qs = qs.annotate(
        review_status=Subquery(latest.values("status")[:1]),
        review_published=Subquery(latest.values("published")[:1]),
        latest_submission=Subquery(latest.values("pk")[:1]),
    )
    return qs.annotate(
        held_at=Subquery(open_task.values("name")[:1]),
        stage=Case(
            When(review_status=Submission.Status.IN_REVIEW, then=Value("in_review")),
            When(review_status=Submission.Status.RETURNED, then=Value("returned")),
            When(live_revision__isnull=False, go_live_at__lte=now, then=Value("published")),
            When(live_revision__isnull=False, then=Value("scheduled")),
            When(review_status=Submission.Status.APPROVED, review_published=False, then=Value("scheduled")),
            When(withdrawn_at__isnull=False, then=Value("withdrawn")),
            default=Value("draft"),
            output_field=CharField(),
        ),
    )


def staff_items_in_state(user: Any, state: str = "", org: Organisation | None = None) -> QuerySet[Item]:
    """The workspace lists: items by stage (STAFF_STATES), newest change first."""
    qs = _with_stage(staff_items(user, org))
    if state:
        qs = qs.filter(stage=state)
    return qs.order_by("-updated_at", "-id")


def stage_counts(user: Any) -> dict[str, int]:
    """How many items `user` may see are at each stage (the workspace home), in one query."""
    counts = {code: 0 for code, _label in STAFF_STATES}
    rows = _with_stage(staff_items(user)).order_by().values("stage").annotate(n=Count("pk"))
    for row in rows:
        counts[row["stage"]] = row["n"]
    return counts


@dataclass(frozen=True)
class ItemFilters:
    """The filters of the staff item list (and of its ledger): stage, organisation, column, period, words."""

    state: str = ""
    org: Organisation | None = None
    column_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    query: str = ""
    ever_published: bool = False  # only items that were published (the ledger of a period), withdrawn ones too


def staff_item_list(user: Any, filters: ItemFilters) -> QuerySet[Item]:
    """信息管理: the items `user` may see, filtered, each with its stage and where it waits. The period is the
    publication date for published items and the last change for the others; words match the title, the
    document number or the index number."""
    qs = staff_items_in_state(user, filters.state, filters.org)
    if filters.column_id:
        qs = qs.filter(column_id=filters.column_id)
    if filters.ever_published:
        qs = qs.filter(published_at__isnull=False)
    if filters.date_from or filters.date_to:
        from django.db.models.functions import Coalesce, TruncDate

        qs = qs.annotate(on_day=TruncDate(Coalesce("published_at", "updated_at")))
        if filters.date_from:
            qs = qs.filter(on_day__gte=filters.date_from)
        if filters.date_to:
            qs = qs.filter(on_day__lte=filters.date_to)
    words = filters.query.strip()
    if words:
        qs = qs.filter(Q(title__icontains=words) | Q(document_number__icontains=words)
                       | Q(index_number__icontains=words))
    return qs


def item_stage(item: Item) -> str:
    """The stage (STAFF_STATES) of one item, as the lists show it."""
    found = _with_stage(Item.objects.filter(pk=item.pk)).values_list("stage", flat=True).first()
    return found or "draft"


def staff_columns(user: Any, org: Organisation | None = None) -> QuerySet[Column]:
    """The columns of the organisations `user` may see (the list's column filter)."""
    qs = Column.objects.select_related("organisation")
    visible = visible_organisation_ids(user)
    if visible is not None:
        qs = qs.filter(organisation_id__in=visible)
    if org is not None:
        qs = qs.filter(organisation=org)
    return qs.order_by("organisation__path", "sort_order", "pk")


def staff_duty_versions(user: Any) -> QuerySet[DutyListVersion]:
    qs = DutyListVersion.objects.select_related("duty_list", "duty_list__organisation")
    visible = visible_organisation_ids(user)
    if visible is not None:
        qs = qs.filter(duty_list__organisation_id__in=visible)
    return qs.order_by("-created_at")


def staff_duty_version(user: Any, pk: int) -> DutyListVersion | None:
    """One duty-list version `user` may see before publication; None for another office's, as for a missing one."""
    return staff_duty_versions(user).filter(pk=pk).first()


# ---- portal reads (added by the portal; each is one public read the portal's views need) ----------------

HOME_KINDS = ("news", "notice", "policy")


def latest_live_of_kind(
    kind: str, *, org: Organisation | None = None, scope: OrganisationScope | None = None, limit: int = 8
) -> list[Item]:
    """The home page's sections, newest first, over `org`'s whole subtree (or everything).

    "news" 工作动态: items in 动态、要闻类 columns; "notice" 公告通知: items in 通知公告、政策文件类
    columns that are neither policy documents nor interpretations; "policy" 政策文件: policy documents.
    Column kinds, not slugs, so it works whatever an organisation names its columns. The items carry
    LIST_FIELDS only.
    """
    if kind not in HOME_KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    shape, ids = _scope_shape(scope)
    path = org.path if org is not None else None

    def build(now: dt.datetime, *ids: int) -> QuerySet[Item]:
        qs = Item.objects.live(now).filter(_scope_q(shape, ids)).only(*LIST_FIELDS)
        if path is not None:
            qs = qs.filter(organisation__path__startswith=path)
        if kind == "news":
            qs = qs.filter(column__update_class=Column.UpdateClass.NEWS)
        elif kind == "notice":
            # Unindexed: "IS NULL" holds for nearly every row, so that index must not drive the plan (core.db).
            qs = qs.alias(_interprets=Unindexed(F("interprets_id"))).filter(
                column__update_class=Column.UpdateClass.NOTICE_POLICY, is_policy=False, _interprets__isnull=True
            )
        else:
            qs = qs.filter(is_policy=True)
        return qs.order_by("-published_at", "-id")[:limit]

    return prepared(Item, ("latest_live_of_kind", kind, shape, path, limit), build, timezone.now(), *ids)


def interpreted_ids(items: list[Item]) -> set[int]:
    """Which of `items` have at least one live interpretation (one query, to mark them in lists)."""
    ids = [i.pk for i in items]
    if not ids:
        return set()
    return set(prepared(
        Item, "interpreted_ids",
        lambda now, *ids: _live_items(now).filter(interprets_id__in=ids).order_by().values_list("interprets_id", flat=True),
        timezone.now(), *ids,
    ))


def public_columns() -> QuerySet[Column]:
    """Every active column of every organisation (for the sitemap)."""
    qs = Column.objects.filter(is_active=True).select_related("organisation")
    return qs.order_by("organisation_id", "id")


def published_duty_version(duty_list: DutyList, pk: int) -> DutyListVersion | None:
    """One published (live) version of a duty list, or None."""
    version = duty_list.versions.filter(pk=pk).first()
    return version if version is not None and version.is_live else None


def duty_entries(version: DutyListVersion) -> list[DutyEntry]:
    return list(version.entries.order_by("order"))


# ---- annual-report reads (年度报告: each counts one organisation's own published items) ------------------


@dataclass(frozen=True)
class NormativeCounts:
    """规范性文件 of one organisation in one year, as both report formats count them.

    issued (F2021 本年制发件数) = published (F2019 本年新公开数量): published in the year;
    made (F2019 本年新制作数量): written (成文) in the year and published by its end;
    repealed (F2021 本年废止件数): abolished (废止) in the year;
    in_force (F2021 现行有效件数) = total_public (F2019 对外公开总数量): published by the year's end and
    neither abolished nor expired by then; a document marked 废止/失效 without a date counts as no longer in force.
    """

    issued: int
    made: int
    repealed: int
    in_force: int


def _year_end(year: int) -> dt.datetime:
    """The first moment after `year` in the platform's time zone (Asia/Shanghai), as an aware datetime."""
    return timezone.make_aware(dt.datetime(year + 1, 1, 1))


def _published_in(year: int) -> Q:
    return Q(published_at__gte=timezone.make_aware(dt.datetime(year, 1, 1)), published_at__lt=_year_end(year))


def normative_counts(org: Organisation, year: int) -> NormativeCounts:
    """The 规范性文件 figures of `org` (its own items only, not its subtree) for the report on `year`."""
    qs = live_items().filter(organisation=org, is_normative=True)
    end = _year_end(year)
    last_day = dt.date(year, 12, 31)
    by_end = qs.filter(published_at__lt=end)
    gone = (
        Q(abolished_on__lte=last_day)
        | Q(expires_on__lte=last_day)
        | Q(validity=Item.Validity.ABOLISHED, abolished_on__isnull=True)
        | Q(validity=Item.Validity.EXPIRED, expires_on__isnull=True)
    )
    return NormativeCounts(
        issued=qs.filter(_published_in(year)).count(),
        made=by_end.filter(written_on__year=year).count(),
        repealed=qs.filter(abolished_on__year=year).count(),
        in_force=by_end.exclude(gone).count(),
    )


def published_counts_by_column(org: Organisation, year: int) -> list[tuple[str, int]]:
    """(column name, items published in `year`) for `org`'s own columns that published anything, by column order."""
    rows = (
        live_items().filter(organisation=org).filter(_published_in(year))
        .values("column__name", "column__sort_order", "column_id").annotate(n=Count("id"))
        .order_by("column__sort_order", "column_id")
    )
    return [(r["column__name"], r["n"]) for r in rows]


def interpretation_counts(org: Organisation, year: int) -> dict[str, int]:
    """Interpretations (政策解读) `org` published in `year`, by form (Item.InterpretationForm value)."""
    rows = (
        live_items().filter(organisation=org, interprets__isnull=False).filter(_published_in(year))
        .values("interpretation_form").annotate(n=Count("id"))
    )
    counts: dict[str, int] = {}
    for r in rows:  # a form left blank counts as 文字解读
        form = r["interpretation_form"] or Item.InterpretationForm.TEXT
        counts[form] = counts.get(form, 0) + r["n"]
    return counts


def policy_documents_published(org: Organisation, year: int) -> int:
    """Policy documents (政策文件) `org` published in `year`."""
    return live_items().filter(organisation=org, is_policy=True).filter(_published_in(year)).count()


# ---- website self-inspection reads (自查, issue 7: as of a date `at`, over what is live now) ----------------


def _end_of(day: dt.date) -> dt.datetime:
    """The first moment after `day` in the platform's time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def live_items_published_by(org: Organisation, at: dt.date) -> QuerySet[Item]:
    """`org`'s own live items published on or before `at` (local date): not the copies it took from other sites
    (信息报送), which were written, dated and checked at their source."""
    return live_items().filter(organisation=org, published_at__lt=_end_of(at), copy_of__isnull=True)


def latest_live_in_subtree(org: Organisation, at: dt.date) -> Item | None:
    """The newest live item of `org` or any organisation below it published on or before `at` (the home page's
    newest entry: 首页更新)."""
    qs = live_items().filter(organisation__path__startswith=org.path, published_at__lt=_end_of(at))
    return qs.order_by("-published_at", "-id").first()


@dataclass(frozen=True)
class ColumnUpdate:
    """An active column with the publication date (local) of its newest live item, counting its sub-columns."""

    column: Column
    last_published_on: dt.date | None
    item: Item | None


def column_updates(org: Organisation, at: dt.date) -> list[ColumnUpdate]:
    """Every active column of `org` with its newest live item published on or before `at`, in column order."""
    columns = list(columns_of(org))
    children: dict[int, list[int]] = {}
    for col in columns:
        if col.parent_id is not None:
            children.setdefault(col.parent_id, []).append(col.pk)
    newest: dict[int, Item] = {}
    qs = live_items().filter(organisation=org, published_at__lt=_end_of(at)).order_by("column_id", "-published_at", "-id")
    for item in qs.distinct():
        if item.column_id not in newest:
            newest[item.column_id] = item
    result: list[ColumnUpdate] = []
    for col in columns:
        candidates = [newest[c] for c in (col.pk, *children.get(col.pk, [])) if c in newest]
        best = max(candidates, key=lambda i: (i.published_at, i.pk), default=None)
        when = timezone.localdate(best.published_at) if best is not None and best.published_at else None
        result.append(ColumnUpdate(column=col, last_published_on=when, item=best))
    return result


def channel_last_recorded(org: Organisation, at: dt.date) -> dict[str, dt.date]:
    """For each channel `org` has ever recorded an item on (on or before `at`), the latest date recorded."""
    from django.db.models import Max

    rows = (
        ChannelRecord.objects.filter(item__organisation=org, published_on__lte=at)
        .values("channel").annotate(last=Max("published_on"))
    )
    return {r["channel"]: r["last"] for r in rows}


def normative_without_interpretation(org: Organisation, at: dt.date) -> list[Item]:
    """`org`'s live normative documents (规范性文件) published by `at`, still in force, with no live interpretation
    published by `at` and no recorded reason for having none (无解读说明)."""
    interpreted = live_items().filter(published_at__lt=_end_of(at), interprets__isnull=False).values("interprets_id")
    qs = live_items_published_by(org, at).filter(is_normative=True, interprets__isnull=True)
    qs = qs.exclude(validity__in=[Item.Validity.ABOLISHED, Item.Validity.EXPIRED]).exclude(pk__in=interpreted)
    return list(qs.filter(no_interpretation_reason="").order_by("published_at", "id"))


def lapsed_but_shown_valid(org: Organisation, at: dt.date) -> list[Item]:
    """`org`'s live items still marked 有效 although their expiry (失效日期) or abolition (废止日期) date is past at `at`."""
    qs = live_items_published_by(org, at).filter(validity=Item.Validity.VALID)
    qs = qs.filter(Q(expires_on__lt=at) | Q(abolished_on__lte=at))
    return list(qs.order_by("published_at", "id"))


# ---- names for statistics (visits) ----------------------------------------------------------------------------

def column_names(ids: list[int]) -> dict[int, Column]:
    """Columns by id (active or not: statistics outlive a column's retirement), with their organisation."""
    return {c.pk: c for c in Column.objects.filter(pk__in=ids).select_related("organisation")}


def item_titles(ids: list[int]) -> dict[int, tuple[str, bool]]:
    """(title, still public) of items by id; a withdrawn item keeps its title in statistics but loses its link."""
    live = set(live_items().filter(pk__in=ids).values_list("pk", flat=True))
    return {pk: (title, pk in live) for pk, title in Item.objects.filter(pk__in=ids).values_list("pk", "title")}


def working_copy(item: Item) -> dict[str, Any]:
    """The editor's current version of an item (工作稿): its latest revision, or the row for an item without one."""
    rev = latest_revision(item)
    if rev is not None:
        copy = data_from_snapshot(rev.snapshot)
        copy["index_number"] = copy["index_number"] or item.index_number  # assigned at first publication
        return copy | {
            "attachment_ids": rev.snapshot.get("attachment_ids", []), "image_ids": rev.snapshot.get("image_ids", [])
        }
    files = item.attachments.filter(purpose=Attachment.Purpose.FILE).values_list("pk", flat=True)
    images = item.attachments.filter(purpose=Attachment.Purpose.BODY_IMAGE).values_list("pk", flat=True)
    return {name: getattr(item, name) for name in ITEM_FIELDS} | {
        "attachment_ids": list(files), "image_ids": list(images)
    }


def item_of(org: Organisation, pk: int) -> Item | None:
    """The organisation's item `pk`, whatever its state (for staff who work in the organisation)."""
    return Item.objects.filter(organisation=org, pk=pk).first()


def item_for_staff(user: Any, pk: int) -> Item | None:
    """Item `pk` in any state, for someone who may read its organisation's unpublished content."""
    item = Item.objects.select_related("organisation", "column").filter(pk=pk).first()
    return item if item is not None and can_view_unpublished(user, item.organisation) else None


@dataclass(frozen=True)
class ItemPreview:
    """An item as its public page would show it: an unsaved Item with the draft's fields, and its files."""

    item: Item
    attachments: list[Attachment]
    interpretations: list[Item]


def item_preview(org: Organisation, item: Item | None, data: dict[str, Any] | None = None) -> ItemPreview | None:
    """预览 of `item`'s working copy, or of `data` (an edit form's cleaned data, not saved). None when the
    column is not one of the organisation's."""
    from gongkai.core.rich_text import sanitize_html

    current = working_copy(item) if item is not None else {"attachment_ids": [], "index_number": None}
    fields = data if data is not None else current
    column = Column.objects.filter(organisation=org, pk=fields.get("column_id") or 0).first()
    if column is None:
        return None
    entry = Item(organisation=org, column=column)
    for name in ITEM_FIELDS:
        if name != "column_id":
            setattr(entry, name, fields.get(name))
    entry.pk = item.pk if item is not None else None
    entry.body = sanitize_html(entry.body or "")
    entry.index_number = entry.index_number or current.get("index_number") or (item.index_number if item else None)
    entry.published_at = (item.published_at if item is not None else None) or timezone.now()
    files = list(Attachment.objects.filter(pk__in=current.get("attachment_ids", [])).order_by("id"))
    interpretations = list(live_interpretations(item)) if item is not None else []
    return ItemPreview(entry, files, interpretations)


# ---- what a reviewer signs (审核所见) ----------------------------------------------------------------------

@dataclass(frozen=True)
class ShownField:
    """One field of an item as staff read it: its name, label and value as the public page would show it."""

    name: str
    label: str
    value: str


_SHOWN = [
    ("index_number", _("索引号")), ("title", _("标题")), ("column_id", _("栏目")), ("document_number", _("文号")),
    ("written_on", _("成文日期")), ("summary", _("内容概述")), ("topic", _("主题分类")), ("genre", _("体裁")),
    ("keywords", _("关键词")), ("source", _("信息来源")), ("is_policy", _("政策文件")), ("is_normative", _("规范性文件")),
    ("validity", _("有效性")), ("effective_on", _("施行日期")), ("expires_on", _("失效日期")), ("abolished_on", _("废止日期")),
    ("disclosure", _("公开属性")), ("non_disclosure_reason", _("不予公开理由")), ("interprets_id", _("解读的政策文件")),
    ("interpretation_form", _("解读形式")),
]


def shown_fields(item: Item, snapshot: dict[str, Any]) -> list[ShownField]:
    """Every metadata field of a revision's snapshot of `item`, with labels and display values (column and
    policy document by name, vocabularies by their Chinese words, 是/否, dates as written)."""
    from django.utils.translation import gettext

    from .vocabularies import GENRE_LABELS, TOPIC_LABELS

    column_id, interprets_id = snapshot.get("column_id"), snapshot.get("interprets_id")
    columns = {c.pk: c.name for c in Column.objects.filter(pk=column_id)} if column_id else {}
    policies = {i.pk: i.title for i in Item.objects.filter(pk=interprets_id)} if interprets_id else {}
    choices: dict[str, dict[str, Any]] = {
        "topic": dict(TOPIC_LABELS), "genre": dict(GENRE_LABELS),
        "validity": dict(Item.Validity.choices), "disclosure": dict(Item.Disclosure.choices),
        "interpretation_form": dict(Item.InterpretationForm.choices),
    }
    fields = []
    for name, label in _SHOWN:
        raw = snapshot.get(name)
        if name == "index_number":
            raw = raw or item.index_number
        if name == "column_id":
            value = columns.get(raw, "") if raw else ""
        elif name == "interprets_id":
            value = policies.get(raw, "") if raw else ""
        elif name in choices:
            value = str(choices[name].get(raw or "", raw or ""))
        elif isinstance(raw, bool):
            value = gettext("是") if raw else gettext("否")
        else:
            value = str(raw or "")
        fields.append(ShownField(name, str(label), value))
    return fields


def attachments_listed(snapshot: dict[str, Any]) -> list[Attachment]:
    """The attachments a revision lists, in upload order."""
    return list(Attachment.objects.filter(pk__in=snapshot.get("attachment_ids", [])).order_by("pk"))


def staff_attachment(user: Any, pk: int) -> Attachment | None:
    """An attachment of any revision, for staff who may see its organisation's unpublished work."""
    att = Attachment.objects.select_related("organisation").filter(pk=pk).first()
    return att if att is not None and can_view_unpublished(user, att.organisation) else None


def item_links(item: Item) -> tuple[Item | None, list[Item]]:
    """The policy document `item` interprets, and the interpretations of `item` (政策解读), any state."""
    policy = Item.objects.filter(pk=item.interprets_id).first() if item.interprets_id else None
    return policy, list(Item.objects.filter(interprets=item).order_by("pk"))


def channel_records(item: Item) -> list[ChannelRecord]:
    return list(item.channel_records.order_by("channel"))


# ---- the website annual report (政府网站工作年度报表) ------------------------------------------------------------

@dataclass(frozen=True)
class WebsiteUpdates:
    """信息发布 of a site in a period: items published, and those of the three kinds the report names.

    overview (概况类): columns of 第二十条第（二）项 (functions, leaders, structure); news (政务动态): columns of the
    news update class; catalogue (信息公开目录): the other columns with a statutory category. Items of columns
    without a category count in the total only.
    """

    total: int
    overview: int
    news: int
    catalogue: int


def _between(start: dt.date, end: dt.date) -> Q:
    return Q(published_at__gte=timezone.make_aware(dt.datetime.combine(start, dt.time.min)), published_at__lt=_end_of(end))


def website_update_counts(org: Organisation, start: dt.date, end: dt.date) -> WebsiteUpdates:
    items = live_items().filter(organisation=org).filter(_between(start, end))
    overview = Q(column__statutory_category="art20_2")
    news = Q(column__update_class=Column.UpdateClass.NEWS) & ~overview
    counts = items.aggregate(
        total=Count("id"), overview=Count("id", filter=overview), news=Count("id", filter=news),
        catalogue=Count("id", filter=~Q(column__statutory_category="") & ~overview & ~news),
    )
    return WebsiteUpdates(**{k: v or 0 for k, v in counts.items()})


@dataclass(frozen=True)
class SpecialTopics:
    """专栏专题 of a site in a period: maintained (open at some time in it) and newly opened."""

    maintained: int
    opened: int


def special_topic_counts(org: Organisation, start: dt.date, end: dt.date) -> SpecialTopics:
    topics = Column.objects.filter(organisation=org, is_special_topic=True).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=end)
    )
    updated = set(live_items().filter(column__in=topics).filter(_between(start, end)).values_list("column_id", flat=True))
    return SpecialTopics(
        maintained=sum(1 for t in topics if t.is_active or t.pk in updated),
        opened=topics.filter(opened_on__gte=start).count(),
    )


def channel_counts_between(org: Organisation, start: dt.date, end: dt.date) -> dict[str, int]:
    """Items that went out on each channel (微信, 微博, …) from `start` to `end`."""
    rows = (
        ChannelRecord.objects.filter(item__organisation=org, published_on__gte=start, published_on__lte=end)
        .values("channel").annotate(n=Count("id"))
    )
    return {r["channel"]: r["n"] for r in rows}


@dataclass(frozen=True)
class ItemLedgerRow:
    """One line of the item ledger (信息发布台账)."""

    item: Item
    stage: str
    channels: list[str]
    approvals: list[tuple[str, Any]]


def item_ledger(user: Any, filters: ItemFilters) -> list[ItemLedgerRow]:
    """The items of the staff list under `filters`, each with its channels and who approved it, oldest
    publication first (a ledger reads forward in time)."""
    from gongkai.review.selectors import approvals_of_revisions

    items = list(staff_item_list(user, filters).order_by("published_at", "id"))
    channels: dict[int, list[str]] = {}
    for record in ChannelRecord.objects.filter(item__in=items).order_by("channel"):
        channels.setdefault(record.item_id, []).append(str(record.get_channel_display()))
    approvals = approvals_of_revisions([i.live_revision_id for i in items if i.live_revision_id])
    return [
        ItemLedgerRow(item, getattr(item, "stage", ""), channels.get(item.pk, []),
                      approvals.get(item.live_revision_id or 0, []))
        for item in items
    ]


def item_placement(pk: int) -> Item | None:
    """An item in any state, with its organisation and column: which public pages show it (static publishing
    asks this of an item just published, edited or withdrawn)."""
    return Item.objects.select_related("organisation", "column").filter(pk=pk).first()


def live_item_ids(org: Organisation | None = None) -> Iterator[int]:
    """The ids of the live items (of `org`, or all), in id order, read in chunks."""
    qs = Item.objects.live() if org is None else Item.objects.live().filter(organisation=org)
    return qs.order_by("pk").values_list("pk", flat=True).iterator(chunk_size=5000)


def live_item_ids_with_organisation() -> Iterator[tuple[int, int]]:
    """(id, organisation id) of every live item, in id order, read in chunks."""
    return Item.objects.live().order_by("pk").values_list("pk", "organisation_id").iterator(chunk_size=5000)


def live_copy_ids(item: Item) -> list[int]:
    """The live copies other sites took of `item` (信息报送): their pages name it."""
    return list(Item.objects.live().filter(copy_of=item).order_by("pk").values_list("pk", flat=True))
