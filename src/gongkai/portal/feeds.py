"""RSS 2.0 and Atom feeds per column: the newest live items only, absolute links under each item's own site."""

from __future__ import annotations

import datetime as dt

from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed, SyndicationFeed
from django.utils.translation import gettext as _

from gongkai.catalog import selectors as cat
from gongkai.catalog.models import Column, Item
from gongkai.core.text import html_to_text
from gongkai.orgs import selectors as org_sel
from gongkai.orgs.models import Organisation
from gongkai.sites.selectors import site_of

FEED_SIZE = 30


def absolute(org: Organisation, path: str) -> str:
    # The organisation's site's configured address, not the request's Host header: a feed reader stores these
    # links, so they must be the canonical public address even when the request came through a proxy.
    return site_of(org).absolute(path)


class ColumnRssFeed(Feed[Item, Column]):
    feed_type: type[SyndicationFeed] = Rss201rev2Feed
    url_name = "portal:column_rss"
    language = "zh-cn"

    def get_object(self, request: HttpRequest, code: str, slug: str) -> Column:
        org = org_sel.organisation_by_code(code)
        column = cat.column_by_slug(org, slug) if org is not None else None
        if column is None:
            raise Http404("unknown column")
        return column

    def title(self, obj: Column) -> str:
        return f"{obj.organisation.name} - {obj.name}"

    def link(self, obj: Column) -> str:
        return absolute(obj.organisation, obj.get_absolute_url())

    def feed_url(self, obj: Column) -> str:
        return absolute(obj.organisation, reverse(self.url_name, kwargs={"code": obj.organisation.code, "slug": obj.slug}))

    def description(self, obj: Column) -> str:
        return obj.description or _("%(org)s%(column)s栏目最新公开信息") % {
            "org": obj.organisation.name, "column": obj.name,
        }

    def items(self, obj: Column) -> list[Item]:
        return cat.page_of(cat.column_items(obj), cursor=None, size=FEED_SIZE).items

    def item_title(self, item: Item) -> str:
        return item.title

    def item_description(self, item: Item) -> str:
        # Plain text: the body is sanitised HTML, but feed readers differ in what they render safely.
        return item.summary or html_to_text(item.body)[:300]

    def item_link(self, item: Item) -> str:
        return absolute(item.organisation, item.get_absolute_url())

    def item_guid(self, item: Item) -> str:
        return absolute(item.organisation, item.get_absolute_url())

    item_guid_is_permalink = True

    def item_pubdate(self, item: Item) -> dt.datetime | None:
        return item.published_at

    def item_author_name(self, item: Item) -> str:
        return item.organisation.name

    def item_categories(self, item: Item) -> list[str]:
        return [item.column.name]


class ColumnAtomFeed(ColumnRssFeed):
    feed_type = Atom1Feed
    url_name = "portal:column_atom"

    def subtitle(self, obj: Column) -> str:
        return self.description(obj)
