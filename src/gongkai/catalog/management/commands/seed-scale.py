"""`gongkai seed-scale --items N --orgs M`: a synthetic province for scale tests and benchmarks.

A province government at the root, cities under it, and departments and counties under those; every
organisation has the usual columns; items are spread over organisations by a long-tailed law (a few publish
a lot, most publish little), over ten years with growth, with the topic, genre and validity mix of real
catalogs; every item is live with its revision, index number and search-index entry, as if it had been
through review. Rows are written in bulk (not through services: no review, no audit, no permission checks),
so this is for test databases only; it refuses to run on a database that already holds items unless --append.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import sys
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from gongkai.catalog.models import Column, Item
from gongkai.catalog.services import ITEM_FIELDS
from gongkai.core.progress import Progress
from gongkai.orgs.models import Organisation
from gongkai.review.models import Revision
from gongkai.search import synthetic
from gongkai.search.models import SearchDocument
from gongkai.search.services import DocumentInput, build_document

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


def _db_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert_rows(model: Any, rows: list[dict[str, Any]]) -> None:
    """INSERT many rows with one executemany: what bulk_create does, without building model instances and
    preparing each value through its field (most of the seeding time). `rows` map attnames to values; fields
    left out take their defaults (auto_now ones take now)."""
    fields = list(model._meta.concrete_fields)
    now = timezone.now()
    defaults = {
        f.attname: now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        else f.get_default()
        for f in fields
    }
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    values = [[_db_value(row.get(f.attname, defaults[f.attname])) for f in fields] for row in rows]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {model._meta.db_table} ({columns}) VALUES ({marks})", values)  # noqa: S608


def build_orgs(count: int, rng: random.Random) -> list[Organisation]:
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


class Command(BaseCommand):
    help = "生成规模测试用的合成省级数据（Generate a synthetic province for scale tests）."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--items", type=int, default=10_000)
        parser.add_argument("--orgs", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--append", action="store_true", help="add items to an existing synthetic province")

    def handle(self, *args: Any, **options: Any) -> None:
        rng = random.Random(options["seed"])
        if options["items"] < 0 or options["orgs"] < 1:
            raise CommandError("--items must be ≥ 0 and --orgs ≥ 1")
        if Item.objects.exists() and not options["append"]:
            raise CommandError("数据库中已有公开信息；规模数据只用于空的测试库（或加 --append）。")
        with transaction.atomic():
            if options["append"] and Organisation.objects.filter(code="sc").exists():
                orgs = list(Organisation.objects.filter(path__startswith=Organisation.objects.get(code="sc").path))
            else:
                orgs = build_orgs(options["orgs"], rng)
                Column.objects.bulk_create([
                    Column(organisation=o, name=name, slug=slug, update_class=uc, sort_order=i)
                    for o in orgs for i, (slug, name, uc, _, _) in enumerate(COLUMNS)
                ])
        columns: dict[tuple[int, str], Column] = {
            (c.organisation_id, c.slug): c for c in Column.objects.filter(organisation__in=orgs)
        }
        # A long tail: organisation k publishes in proportion to 1/(k+1)^0.8; the province and cities most.
        org_weights = [1 / (k + 1) ** 0.8 for k in range(len(orgs))]
        self.stdout.write(f"{len(orgs)} organisations, {len(columns)} columns; writing {options['items']:,} items")
        bar = Progress(sys.stdout, options["items"], "items")
        item_ct = ContentType.objects.get_for_model(Item)
        next_item = (Item.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        next_rev = (Revision.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        next_doc = (SearchDocument.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        doc_fields = SearchDocument._meta.concrete_fields
        now = timezone.now()
        start = now - dt.timedelta(days=3650)
        remaining = options["items"]
        while remaining > 0:
            size = min(options["batch"], remaining)
            org_picks = rng.choices(orgs, weights=org_weights, k=size)
            items: list[dict[str, Any]] = []
            revisions: list[dict[str, Any]] = []
            docs: list[SearchDocument] = []
            for org in org_picks:
                slug, _, _, _, genres = rng.choices(COLUMNS, weights=[c[3] for c in COLUMNS])[0]
                column = columns[(org.pk, slug)]
                # Growth: later years publish more (density rises linearly over the ten years).
                published = start + dt.timedelta(seconds=3650 * 86400 * rng.random() ** 0.7)
                year = timezone.localtime(published).year
                news = slug == "gzdt"
                policy = slug == "zcwj"
                body_text = synthetic.body(rng, paragraphs=(2, 5) if news else (3, 9))
                fields: dict[str, Any] = {
                    "column_id": column.pk, "title": synthetic.title(rng, news=news), "summary": "",
                    "body": "".join(f"<p>{p}</p>" for p in body_text.split("\n")),
                    "document_number": synthetic.document_number(rng, year) if policy or rng.random() < 0.15 else "",
                    "written_on": published.date(), "topic": rng.choices(list(TOPIC_WEIGHTS), list(TOPIC_WEIGHTS.values()))[0],
                    "genre": rng.choice(genres), "keywords": "", "source": org.short_name,
                    "is_policy": policy, "is_normative": policy and rng.random() < 0.3,
                    "validity": rng.choices(["valid", "expired", "abolished"], [80, 15, 5])[0] if policy else "",
                    "effective_on": None, "expires_on": None, "abolished_on": None, "disclosure": "proactive",
                    "non_disclosure_reason": "", "interprets_id": None, "interpretation_form": "",
                    "index_number": f"{org.index_code}/{year}-{next_item:07d}",
                }
                items.append({"id": next_item, "organisation_id": org.pk, "created_at": published,
                              "updated_at": published, "published_at": published, "go_live_at": published,
                              "live_revision_id": next_rev, **fields})
                snap = {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in fields.items() if k in ITEM_FIELDS}
                snap["attachment_ids"] = []
                revisions.append({"id": next_rev, "created_at": published, "content_type_id": item_ct.pk,
                                  "object_id": next_item, "number": 1, "snapshot": snap, "note": "规模数据"})
                doc = build_document(DocumentInput(
                    kind="item", object_id=next_item, url=f"/items/{next_item}/", title=fields["title"],
                    body=body_text, document_number=fields["document_number"], published_at=published,
                    go_live_at=published, organisation_id=org.pk, organisation_path=org.path,
                    organisation_name=org.short_name or org.name, column_id=column.pk, column_name=column.name,
                    topic=fields["topic"], genre=fields["genre"], validity=fields["validity"],
                ))
                doc.pk = next_doc
                docs.append(doc)
                next_doc += 1
                next_item += 1
                next_rev += 1
            with transaction.atomic():
                insert_rows(Item, items)
                insert_rows(Revision, revisions)
                insert_rows(SearchDocument, [{f.attname: getattr(d, f.attname) for f in doc_fields} for d in docs])
            bar.advance(size)
            remaining -= size
        took = bar.finish()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for table in ("catalog_item", "review_revision", "search_searchdocument"):  # after explicit ids
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                    )
                    cursor.execute(f"ANALYZE {table}")
        # SQLite: no ANALYZE, as on a real embedded install (nothing runs it there); its statistics made the
        # planner prefer full scans for `interprets_id IN (...)` (all NULL here) — see docs/benchmarks.md.
        self.stdout.write(f"{options['items']:,} items in {took:.1f} s ({options['items'] / max(took, 1e-9):,.0f} items/s)")
