"""A synthetic province for scale tests and benchmarks (`gongkai seed-scale`); never used by the live site.

A province government at the root, cities under it, and departments and counties under those; every
organisation has the usual columns; items are spread over organisations by a long-tailed law (a few publish a
lot, most publish little), over ten years with growth, with the topic, genre and validity mix of real catalogs;
every item is live with its revision, index number and search-index entry, as if it had been through review.

Rows are written in bulk (core.db.BulkRows), not through the services: no review, no audit, no permission
checks. Batches are generated in worker processes while they are written (see `load`): generating an item
(text, segmentation, snapshot) takes ~0.1 ms of CPU, writing it ~0.3 ms on SQLite (docs/benchmarks.md). Batch k is
generated from its own random stream, so the data depend on --seed, --items and --batch, not on how many workers
ran.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import random
import time
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate, islice
from multiprocessing.pool import AsyncResult
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection, connections, transaction
from django.utils import timezone

from gongkai.catalog.models import Column, Item
from gongkai.catalog.snapshots import ITEM_FIELDS
from gongkai.core.db import BulkRows
from gongkai.demo import synthetic
from gongkai.orgs.models import Organisation
from gongkai.review.models import Revision
from gongkai.search.models import SearchDocument
from gongkai.search.services import DocumentInput, bulk_load, bulk_loading, document_fields, document_writer

CITIES = ["银川", "石嘴山", "吴忠", "固原", "中卫", "兰州", "嘉峪关", "金昌", "白银", "天水", "武威", "张掖", "平凉", "酒泉"]
DEPARTMENTS = ["发展和改革委员会", "教育局", "科学技术局", "工业和信息化局", "民政局", "财政局", "人力资源和社会保障局",
               "自然资源局", "生态环境局", "住房和城乡建设局", "交通运输局", "水务局", "农业农村局", "商务局",
               "文化和旅游局", "卫生健康委员会", "应急管理局", "市场监督管理局", "统计局", "医疗保障局", "审计局",
               "司法局", "公安局", "林业和草原局", "退役军人事务局", "信访局", "大数据管理局", "乡村振兴局"]
COLUMNS = [  # slug, name, update class, share of items, genres
    ("gzdt", "工作动态", "news", 0.42, ["news"]),
    ("tzgg", "通知公告", "notice_policy", 0.22, ["notice", "announcement", "public_notice", "circular"]),
    ("zcwj", "政策文件", "notice_policy", 0.14, ["notice", "opinion", "rules", "resolution", "order"]),
    ("zcjd", "政策解读", "notice_policy", 0.06, ["interpretation"]),
    ("ghjh", "规划计划", "other", 0.05, ["plan", "report"]),
    ("czzj", "财政资金", "other", 0.05, ["statistics", "report", "list"]),
    ("rsxx", "人事信息", "other", 0.06, ["announcement", "list"]),
]
TOPIC_WEIGHTS = {"02": 30, "03": 6, "04": 8, "05": 4, "06": 6, "07": 5, "08": 3, "09": 6, "10": 8, "11": 7,
                 "12": 3, "13": 6, "15": 4, "16": 3, "17": 5, "22": 6}
_TOPICS = list(TOPIC_WEIGHTS)
_TOPIC_CUM = list(accumulate(TOPIC_WEIGHTS.values()))
_COLUMN_CUM = list(accumulate(c[3] for c in COLUMNS))
_VALIDITY_CUM = list(accumulate([80, 15, 5]))
YEARS = 10


def build_orgs(count: int) -> list[Organisation]:
    """A province, its cities, and departments (a third of them county governments) under each city."""
    province = Organisation.objects.create(name="西川省人民政府", short_name="省政府", code="sc", index_code="SC",
                                           kind=Organisation.Kind.GOVERNMENT)
    orgs = [province]
    cities = []
    for n, city in enumerate(CITIES[: max(1, min(len(CITIES), count // 20))]):
        cities.append(Organisation.objects.create(
            name=f"{city}市人民政府", short_name=f"{city}市政府", code=f"c{n:02d}", index_code=f"C{n:02d}",
            kind=Organisation.Kind.GOVERNMENT, parent=province, sort_order=n))
    orgs += cities
    n = 0
    while len(orgs) < count:
        parent = cities[n % len(cities)] if n % 5 else province
        name = DEPARTMENTS[(n // len(cities)) % len(DEPARTMENTS)]
        if n % 3 == 2 and parent is not province:
            name = f"第{n // 3}县人民政府"
        label = ("省" if parent is province else parent.name.removesuffix("人民政府")) + name
        orgs.append(Organisation.objects.create(
            name=label[:100], short_name=label[:50], code=f"o{n:05d}", index_code=f"O{n:05d}",
            kind=Organisation.Kind.DEPARTMENT, parent=parent, sort_order=n))
        n += 1
    return orgs[:count]


def province(count: int, *, append: bool) -> list[Organisation]:
    """The synthetic province's organisations, made with their columns unless --append finds them."""
    with transaction.atomic():
        root = Organisation.objects.filter(code="sc").first() if append else None
        if root is not None:
            return list(Organisation.objects.filter(path__startswith=root.path))
        orgs = build_orgs(count)
        Column.objects.bulk_create([
            Column(organisation=o, name=name, slug=slug, update_class=uc, sort_order=i)
            for o in orgs for i, (slug, name, uc, _, _) in enumerate(COLUMNS)
        ])
        return orgs


@dataclass(frozen=True)
class OrgRef:
    pk: int
    path: str
    name: str
    index_code: str


@dataclass
class Plan:
    """Everything a generating process needs, fixed before the workers start."""

    seed: int
    batch_size: int
    total: int
    orgs: list[OrgRef]
    org_cum_weights: list[float]
    columns: dict[tuple[int, str], tuple[int, str]]  # (organisation, slug) → (column id, name)
    item_content_type: int
    first_item: int
    first_revision: int
    first_document: int
    start: dt.datetime
    items: BulkRows
    revisions: BulkRows
    documents: BulkRows


@dataclass
class Batch:
    size: int
    items: list[tuple[Any, ...]]
    revisions: list[tuple[Any, ...]]
    documents: list[tuple[Any, ...]]
    cpu_seconds: float = 0.0  # spent generating it


def make_plan(orgs: list[Organisation], *, seed: int, batch_size: int, total: int) -> Plan:
    columns = {(c.organisation_id, c.slug): (c.pk, c.name) for c in Column.objects.filter(organisation__in=orgs)}
    # A long tail: organisation k publishes in proportion to 1/(k+1)^0.8; the province and cities most.
    weights = [1 / (k + 1) ** 0.8 for k in range(len(orgs))]

    def next_id(model: Any) -> int:
        return (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1

    vendor = connection.vendor
    return Plan(
        seed=seed, batch_size=batch_size, total=total,
        orgs=[OrgRef(o.pk, o.path, o.short_name or o.name, o.index_code) for o in orgs],
        org_cum_weights=list(accumulate(weights)), columns=columns,
        item_content_type=ContentType.objects.get_for_model(Item).pk,
        first_item=next_id(Item), first_revision=next_id(Revision), first_document=next_id(SearchDocument),
        start=timezone.now() - dt.timedelta(days=365 * YEARS),
        items=BulkRows(Item, vendor), revisions=BulkRows(Revision, vendor), documents=document_writer(vendor),
    )


def generate_batch(plan: Plan, k: int, size: int) -> Batch:
    """Batch k's rows: items k·batch_size … onwards, with their revisions and search documents."""
    started = time.process_time()
    rng = random.Random(plan.seed * 1_000_003 + k)
    offset = k * plan.batch_size
    tz = timezone.get_current_timezone()
    span = YEARS * 365 * 86400
    batch = Batch(size, [], [], [])
    for n, org in enumerate(rng.choices(plan.orgs, cum_weights=plan.org_cum_weights, k=size)):
        item_id, revision_id = plan.first_item + offset + n, plan.first_revision + offset + n
        slug, _, _, _, genres = rng.choices(COLUMNS, cum_weights=_COLUMN_CUM)[0]
        column_id, column_name = plan.columns[(org.pk, slug)]
        # In publication order, as a real catalog grows (ids and the full-text index's rowids follow time, and
        # the time-ordered indexes are appended to rather than written all over: at a million items that kept
        # SQLite's working set in its cache). Growth: later years publish more.
        share = (offset + n + rng.random()) / max(plan.total, 1)
        published = plan.start + dt.timedelta(seconds=span * share ** 0.7)
        year = published.astimezone(tz).year
        news, policy = slug == "gzdt", slug == "zcwj"
        body_text, body_segments, body_grams = synthetic.body_parts(rng, paragraphs=(2, 5) if news else (3, 9))
        title, title_grams = synthetic.titled(rng, news=news)
        fields: dict[str, Any] = {
            "column_id": column_id, "title": title, "summary": "",
            "body": "<p>" + body_text.replace("\n", "</p><p>") + "</p>",
            "document_number": synthetic.document_number(rng, year) if policy or rng.random() < 0.15 else "",
            "written_on": published.astimezone(tz).date(),
            "topic": rng.choices(_TOPICS, cum_weights=_TOPIC_CUM)[0],
            "genre": rng.choice(genres), "keywords": "", "source": org.name,
            "is_policy": policy, "is_normative": policy and rng.random() < 0.3,
            "validity": rng.choices(["valid", "expired", "abolished"], cum_weights=_VALIDITY_CUM)[0] if policy else "",
            "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
            "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "",
            "index_number": f"{org.index_code}/{year}-{item_id:07d}",
        }
        batch.items.append(plan.items.row({
            "id": item_id, "organisation_id": org.pk, "created_at": published, "updated_at": published,
            "published_at": published, "go_live_at": published, "live_revision_id": revision_id, **fields,
        }))
        snapshot = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items() if k in ITEM_FIELDS}
        snapshot["attachment_ids"] = []
        batch.revisions.append(plan.revisions.row({
            "id": revision_id, "created_at": published, "content_type_id": plan.item_content_type,
            "object_id": item_id, "number": 1, "snapshot": snapshot, "note": "规模数据",
        }))
        document = document_fields(DocumentInput(
            kind="item", object_id=item_id, url=f"/items/{item_id}/", title=fields["title"], body=body_text,
            body_segmented=body_segments, document_number=fields["document_number"], published_at=published,
            go_live_at=published, organisation_id=org.pk, organisation_path=org.path, organisation_name=org.name,
            column_id=column_id, column_name=column_name, topic=fields["topic"], genre=fields["genre"],
            validity=fields["validity"],
            grams=synthetic.document_grams(title_grams, fields["document_number"], body_grams),
        ))
        document["id"] = plan.first_document + offset + n
        batch.documents.append(plan.documents.row(document))
    batch.cpu_seconds = time.process_time() - started
    return batch


def write_batch(plan: Plan, batch: Batch) -> float:
    """Write one batch in one transaction; the CPU seconds this process spent on it."""
    started = time.process_time()
    with transaction.atomic():
        plan.revisions.write(batch.revisions)
        plan.items.write(batch.items)
        bulk_load(batch.documents, plan.documents)
    return time.process_time() - started


@dataclass(frozen=True)
class Done:
    """One batch written: its size and the CPU seconds spent generating and writing it (client side)."""

    size: int
    generating: float
    writing: float


_plan: Plan | None = None  # the plan, in each worker process (set before forking)


def _generate(job: tuple[int, int]) -> Batch:
    assert _plan is not None
    return generate_batch(_plan, *job)


def _generate_and_write(job: tuple[int, int]) -> Done:
    assert _plan is not None
    batch = generate_batch(_plan, *job)
    return Done(batch.size, batch.cpu_seconds, write_batch(_plan, batch))


def load(plan: Plan, total: int, workers: int) -> Iterator[Done]:
    """Generate and write `total` items, yielding as each batch lands.

    With workers ≥ 1, batches are generated in that many forked processes. SQLite takes one writer, so this
    process writes them, in order, while the workers generate the next ones. PostgreSQL takes many: each worker
    writes its own batches on its own connection (the server's work — tsvectors, indexes, TOAST — is most of
    the cost there, and this spreads it over the cores). Without workers, everything happens here.
    """
    jobs = [(k, min(plan.batch_size, total - k * plan.batch_size)) for k in range(-(-total // plan.batch_size))]
    if workers < 1:
        _prepare_connection()
        for job in jobs:
            batch = generate_batch(plan, *job)
            yield Done(batch.size, batch.cpu_seconds, write_batch(plan, batch))
        return
    global _plan
    _plan = plan
    synthetic.prepare()  # segment the sentence pool once, before the workers inherit it
    connections.close_all()  # a forked child must not share (and on exit close) the parent's connection
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        if plan.items.vendor == "postgresql":
            yield from pool.imap_unordered(_generate_and_write, jobs)
            return
        _prepare_connection()  # a new connection, now that the workers have forked
        # In order, and only a few batches ahead: Pool.imap would let the workers run arbitrarily far ahead of
        # the writer and pile their batches up in this process (gigabytes at a million items).
        queue = iter(jobs)
        pending: deque[AsyncResult[Batch]] = deque(
            pool.apply_async(_generate, (job,)) for job in islice(queue, workers + 1)
        )
        while pending:
            batch = pending.popleft().get()
            for job in islice(queue, 1):
                pending.append(pool.apply_async(_generate, (job,)))
            yield Done(batch.size, batch.cpu_seconds, write_batch(plan, batch))


@contextmanager
def loading(*, fresh: bool) -> Iterator[None]:
    """Around `load`. Both full-text tables of SQLite merge once at the end (search.services.bulk_loading).
    Into a fresh province (no items before), SQLite's writer keeps its rollback journal in memory instead of
    the write-ahead log, writing each page once (a crash of the machine in the middle can leave the file
    unusable: it is a new synthetic database, to be made again).

    The secondary indexes are kept up row by row on both back ends. Dropping them for the load and building
    them at the end was measured and not kept: on SQLite each build reads the whole table (21 builds cost
    71 µs per item at 40,000 items, more than keeping them up in time order); on PostgreSQL it saved
    nothing at 20,000 items (20.0 s of server CPU against 12.0 + 7.6 s) and the GIN builds ran one at a time
    at the end (docs/benchmarks.md)."""
    global _fresh
    with bulk_loading():
        _fresh = fresh
        try:
            yield
        finally:
            _fresh = False
            if fresh and connection.vendor == "sqlite" and not connection.in_atomic_block:
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA journal_mode = WAL")


_fresh = False  # inside loading(fresh=True)


def _prepare_connection() -> None:
    """SQLite: a 1 GiB page cache for this connection, so that the item table's dozen indexes stay in
    memory while they grow (the default 2 MiB made every insert fetch index pages again); in a fresh load
    the journal in memory (see loading; not inside a transaction, where SQLite cannot change it)."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size = -1048576")
            if _fresh and not connection.in_atomic_block:
                cursor.execute("PRAGMA journal_mode = MEMORY")


def finish() -> None:
    """After the load: fresh statistics and sequences past the explicit ids on PostgreSQL."""
    if connection.vendor != "postgresql":
        # SQLite: no ANALYZE, as on a real embedded install (nothing runs it there); its statistics made the
        # planner prefer full scans for `interprets_id IN (...)` (all NULL here) — see docs/benchmarks.md.
        return
    with connection.cursor() as cursor:
        for model in (Item, Revision, SearchDocument):
            table = model._meta.db_table
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")  # noqa: S608
            cursor.execute(f"ANALYZE {table}")
