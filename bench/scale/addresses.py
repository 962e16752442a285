"""The portal addresses the scale benchmarks load, chosen from a database filled by `gongkai seed-scale`.

`hot_pages()` is one address per page kind (the default run: after its first request each is a page-cache hit).
`spread_pages()` is many distinct addresses per kind, so that nearly every request misses the page cache and
pays the full render. Both must run inside Django (django.setup() done by the caller or here).
"""

from __future__ import annotations

import random
from urllib.parse import quote, urlencode

Pages = list[tuple[str, list[str]]]


def _setup() -> None:
    import django

    django.setup()


def hot_pages() -> list[tuple[str, str]]:
    """One address per page kind (the default mode of run.py)."""
    _setup()
    from django.db.models import Count

    from gongkai.catalog.models import Column, Item
    from gongkai.search.models import SearchDocument

    busiest = (Item.objects.values("column_id").annotate(n=Count("id")).order_by("-n").first())
    assert busiest is not None, "no items: run gongkai seed-scale first"
    column = Column.objects.select_related("organisation").get(pk=busiest["column_id"])
    column_url = column.get_absolute_url()
    # A deep page: the cursor of the item 90% of the way down the busiest column.
    deep = (Item.objects.filter(column=column).order_by("-published_at", "-id")
            .values_list("published_at", "id")[int(busiest["n"] * 0.9)])
    deep_cursor = f"{deep[0].timestamp():.6f}_{deep[1]}"
    item = Item.objects.order_by("-id").values_list("id", flat=True)[Item.objects.count() // 2]
    rare = (SearchDocument.objects.exclude(document_number="").order_by("id")
            .values_list("document_number", flat=True).first())
    return [
        ("home", "/"),
        (f"column first page ({busiest['n']:,} items)", column_url),
        ("column deep page (90%)", f"{column_url}?after={deep_cursor}"),
        ("item page", f"/items/{item}/"),
        ("catalog, two filters", "/catalog/?topic=02&genre=notice"),
        ("search: common word 通知", "/search/?q=" + quote("通知")),
        ("search: two words 高新技术企业 认定", "/search/?q=" + quote("高新技术企业 认定")),
        (f"search: rare (文号 {rare})", "/search/?q=" + quote(rare or "无")),
        ("search: phrase “优化营商环境”", "/search/?q=" + quote('"优化营商环境"')),
    ]


def _random_ids(model: type, count: int, rng: random.Random) -> list[int]:
    """Up to `count` existing primary keys, drawn uniformly between the smallest and the largest (no full scan)."""
    from django.db.models import Max, Min

    bounds = model.objects.aggregate(lo=Min("id"), hi=Max("id"))  # type: ignore[attr-defined]
    if bounds["lo"] is None:
        return []
    wanted = {rng.randint(bounds["lo"], bounds["hi"]) for _ in range(count * 2)}
    found = list(model.objects.filter(pk__in=wanted).values_list("id", flat=True))  # type: ignore[attr-defined]
    rng.shuffle(found)
    return found[:count]


def _words(titles: list[str]) -> list[str]:
    """Distinct words of two or more Han characters in the titles, in order of first appearance."""
    from gongkai.search import analysis as T

    seen: dict[str, None] = {}
    for title in titles:
        for token in T.segment(title):
            if len(token) >= 2 and all("\u4e00" <= ch <= "\u9fff" for ch in token):
                seen.setdefault(token, None)
    return list(seen)


def spread_pages(per_kind: int = 2000, seed: int = 5) -> Pages:
    """Many distinct addresses per page kind, drawn from the data with a fixed seed (the same lists each run)."""
    _setup()
    from django.db.models import Count
    from django.urls import reverse

    from gongkai.catalog.models import Column, Item
    from gongkai.catalog.vocabularies import GENRES, TOPICS
    from gongkai.orgs.models import Organisation
    from gongkai.search.models import SearchDocument

    rng = random.Random(seed)
    # The home page has one address; a query parameter it ignores gives it distinct cache keys.
    home = [f"/?v={i}" for i in range(per_kind)]

    sizes = dict(Item.objects.values_list("column_id").annotate(n=Count("id")).order_by())
    columns = [(pk, code, slug, sizes[pk]) for pk, code, slug in Column.objects.filter(is_active=True, pk__in=sizes)
               .values_list("pk", "organisation__code", "slug").order_by("pk")]
    rng.shuffle(columns)

    def column_url(code: str, slug: str) -> str:
        return reverse("portal:column", kwargs={"code": code, "slug": slug})

    first = [column_url(code, slug) for _, code, slug, _ in columns[:per_kind]]
    # Deep pages: 200 columns, each at ten depths between 10% and 100% of its length (keyset cursors).
    deep: list[str] = []
    for pk, code, slug, n in sorted(columns[:200], key=lambda c: -c[3]):
        rows = Item.objects.filter(column_id=pk).order_by("-published_at", "-id").values_list("published_at", "id")
        for tenth in range(1, 11):
            at = min(n - 1, n * tenth // 10)
            when, item_id = rows[at]
            deep.append(f"{column_url(code, slug)}?after={when.timestamp():.6f}_{item_id}")
    deep = list(dict.fromkeys(deep))
    rng.shuffle(deep)

    items = [f"/items/{pk}/" for pk in _random_ids(Item, per_kind, rng)]

    # Catalog: every topic × genre pair, plus organisation × topic and year × genre pairs.
    codes = list(Organisation.objects.filter(parent__isnull=False).values_list("code", flat=True)[:200])
    catalog = [f"/catalog/?topic={t}&genre={g}" for t, _ in TOPICS for g, _ in GENRES]
    catalog += [f"/catalog/?organisation={rng.choice(codes)}&topic={rng.choice(TOPICS)[0]}" for _ in range(300)]
    catalog += [f"/catalog/?year={rng.randint(2015, 2025)}&genre={rng.choice(GENRES)[0]}" for _ in range(300)]
    catalog = list(dict.fromkeys(catalog))
    rng.shuffle(catalog)

    doc_ids = _random_ids(SearchDocument, 3000, rng)
    docs = list(SearchDocument.objects.filter(pk__in=doc_ids).values_list("title", "document_number"))
    rng.shuffle(docs)
    bodies = Item.objects.filter(pk__in=doc_ids[:200]).values_list("body", flat=True)
    words = _words([title for title, _ in docs] + [body[:2000] for body in bodies])
    rng.shuffle(words)
    one_word = ["/search/?q=" + quote(w) for w in words[:1000]]
    pairs = {f"{a} {b}": None for a, b in (rng.sample(words, 2) for _ in range(1500))}
    two_words = ["/search/?q=" + quote(p) for p in list(pairs)[:1000]]
    numbers = sorted({number for _, number in docs if number})
    rng.shuffle(numbers)
    docno = ["/search/?q=" + quote(n) for n in numbers[:1000]]
    # Phrases: four to six consecutive characters of a title, quoted.
    phrases: dict[str, None] = {}
    for title, _ in docs:
        han = "".join(ch for ch in title if "\u4e00" <= ch <= "\u9fff")
        if len(han) >= 6:
            size = rng.randint(4, 6)
            start = rng.randint(0, len(han) - size)
            phrases.setdefault(han[start:start + size], None)
    phrase = ["/search/?" + urlencode({"q": f'"{p}"'}) for p in list(phrases)[:1000]]
    return [
        (f"home ({len(home)} addresses)", home),
        (f"column first page ({len(first)} columns)", first),
        (f"column deep page ({len(deep)} cursors)", deep),
        (f"item page ({len(items)} items)", items),
        (f"catalog, two filters ({len(catalog)} pairs)", catalog),
        (f"search: one word ({len(one_word)} words)", one_word),
        (f"search: two words ({len(two_words)} pairs)", two_words),
        (f"search: 文号 ({len(docno)} numbers)", docno),
        (f"search: phrase ({len(phrase)} phrases)", phrase),
    ]
