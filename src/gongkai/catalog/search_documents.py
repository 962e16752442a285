"""What the catalog puts in the search index: one document per live (or scheduled) item.

`gongkai reindex` finds this module by name (search.registry); services.publish_revision and withdraw_item
call `index_item` / `unindex_item` inside their transactions.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTransform

from gongkai.search import services as search_services
from gongkai.search.services import DocumentInput

from .models import Attachment, Item

KIND = "item"
# A copy taken by another site (信息报送): found by that site's own search; the platform's search finds the source.
COPY_KIND = "item-copy"


def kind_of(item: Item) -> str:
    return COPY_KIND if item.copy_of_id is not None else KIND


def item_document(item: Item, attachment_texts: tuple[str, ...] | None = None) -> DocumentInput | None:
    """The index entry of `item`'s public version, or None when it has none (draft, withdrawn, waiting)."""
    if item.live_revision_id is None or item.go_live_at is None or item.published_at is None:
        return None
    if attachment_texts is None:
        ids = item.live_revision.snapshot.get("attachment_ids", []) if item.live_revision else []
        attachment_texts = tuple(Attachment.objects.filter(pk__in=ids).order_by("id").values_list("text", flat=True))
    org = item.organisation
    return DocumentInput(
        kind=kind_of(item),
        object_id=item.pk,
        url=item.get_absolute_url(),
        title=item.title,
        body=item.summary,
        body_html=item.body,
        document_number=item.document_number,
        attachment_texts=attachment_texts,
        published_at=item.published_at,
        go_live_at=item.go_live_at,
        organisation_id=org.pk,
        organisation_path=org.path,
        organisation_name=org.short_name or org.name,
        column_id=item.column_id,
        column_name=item.column.name,
        topic=item.topic,
        genre=item.genre,
        validity=item.validity,
    )


def index_item(item: Item) -> None:
    doc = item_document(item)
    if doc is None:
        search_services.remove_document(kind_of(item), item.pk)
    else:
        search_services.index_document(doc)


def unindex_item(item: Item) -> None:
    search_services.remove_document(kind_of(item), item.pk)


def _indexable(copies: bool) -> QuerySet[Item]:
    return Item.objects.filter(live_revision__isnull=False, go_live_at__isnull=False, copy_of__isnull=not copies)


def indexable_count(copies: bool = False) -> int:
    return _indexable(copies).count()


def indexable_documents(batch: int = 2000, copies: bool = False) -> Iterator[DocumentInput]:
    """Every item with a public version (live now or scheduled), in id order, attachments fetched per batch;
    with `copies`, the copies taken by other sites instead."""
    # The live revision's attachment ids read in the query: the revision itself (a snapshot of the whole item,
    # body again) is not needed here.
    qs = (_indexable(copies).select_related("organisation", "column")
          .annotate(live_attachment_ids=KeyTransform("attachment_ids", "live_revision__snapshot")).order_by("pk"))
    last = 0
    while True:
        chunk = list(qs.filter(pk__gt=last)[:batch])
        if not chunk:
            return
        wanted = {i.pk: set(i.live_attachment_ids or ()) for i in chunk}
        texts: dict[int, list[str]] = {}
        all_ids = set().union(*wanted.values()) if wanted else set()
        if all_ids:
            for att_id, item_id, text in Attachment.objects.filter(pk__in=all_ids).order_by("id").values_list(
                "pk", "item_id", "text"
            ):
                if att_id in wanted.get(item_id, ()):
                    texts.setdefault(item_id, []).append(text)
        for item in chunk:
            doc = item_document(item, tuple(texts.get(item.pk, [])))
            if doc is not None:
                yield doc
        last = chunk[-1].pk


SEARCH_SOURCES = {
    KIND: (indexable_count, indexable_documents),
    COPY_KIND: (lambda: indexable_count(copies=True), lambda: indexable_documents(copies=True)),
}
