"""Parsing the catalog browser's and the search page's GET parameters.

Public input is never trusted and never fatal: a value we do not know is dropped with a gentle notice, so a
hand-edited or stale address still shows a page (never a 500).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext as _

from gongkai.catalog.models import Item
from gongkai.catalog.selectors import CatalogFilters
from gongkai.catalog.vocabularies import GENRE_LABELS, TOPIC_LABELS
from gongkai.orgs.selectors import OrganisationScope, organisation_by_code

from .fragments import active_columns

MAX_QUERY_LENGTH = 200
# Years outside this range cannot hold catalog items; refusing them keeps datetime() from overflowing.
MIN_YEAR, MAX_YEAR = 1949, 2100


@dataclass
class ParsedFilters:
    filters: CatalogFilters
    # The accepted values, as strings, to refill the form and to carry into the next page's address.
    values: dict[str, str] = field(default_factory=dict)
    notices: list[str] = field(default_factory=list)
    truncated: bool = False


def clean_query(raw: str | None) -> tuple[str, bool]:
    """The search words, stripped and cut to MAX_QUERY_LENGTH characters; the flag says whether it was cut."""
    query = " ".join((raw or "").split())
    if len(query) > MAX_QUERY_LENGTH:
        return query[:MAX_QUERY_LENGTH], True
    return query, False


def parse_catalog_filters(params: QueryDict, scope: OrganisationScope | None = None) -> ParsedFilters:
    """`scope`: the organisations of the site being served; an organisation outside it is ignored."""
    values: dict[str, str] = {}
    notices: list[str] = []

    code = params.get("organisation", "").strip()
    organisation = organisation_by_code(code) if code and len(code) <= 40 else None
    if organisation is not None and scope is not None and not scope.contains(organisation.path):
        organisation = None
        notices.append(_("所选机构不属于本网站，已忽略该条件。"))
    elif organisation is not None:
        values["organisation"] = code
    elif code:
        notices.append(_("未找到所选机构，已忽略该条件。"))

    column = None
    slug = params.get("column", "").strip()
    if slug and organisation is not None:
        column = next((c for c in active_columns(organisation) if c.slug == slug), None)
        if column is not None:
            values["column"] = slug
    if slug and column is None:
        notices.append(_("未找到所选栏目（栏目须与发布机构一同选择），已忽略该条件。"))

    topic = params.get("topic", "").strip()
    if topic in TOPIC_LABELS:
        values["topic"] = topic
    elif topic:
        notices.append(_("主题分类无效，已忽略该条件。"))
        topic = ""

    genre = params.get("genre", "").strip()
    if genre in GENRE_LABELS:
        values["genre"] = genre
    elif genre:
        notices.append(_("体裁分类无效，已忽略该条件。"))
        genre = ""

    year_text = params.get("year", "").strip()
    year: int | None = None
    if year_text:
        if year_text.isascii() and year_text.isdigit() and MIN_YEAR <= int(year_text) <= MAX_YEAR:
            year = int(year_text)
            values["year"] = year_text
        else:
            notices.append(_("年份无效，已忽略该条件。"))

    validity = params.get("validity", "").strip()
    if validity in Item.Validity.values:
        values["validity"] = validity
    elif validity:
        notices.append(_("有效性无效，已忽略该条件。"))
        validity = ""

    query, truncated = clean_query(params.get("q"))
    if query:
        values["q"] = query
    if truncated:
        notices.append(_("检索词过长，已截取前 %(n)s 个字。") % {"n": MAX_QUERY_LENGTH})

    return ParsedFilters(
        filters=CatalogFilters(
            organisation=organisation, column=column, topic=topic, genre=genre, year=year, validity=validity,
            query=query, scope=scope,
        ),
        values=values,
        notices=notices,
        truncated=truncated,
    )
