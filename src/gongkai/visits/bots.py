"""Requests that are not a person reading a page (机器访问): crawlers, scripts, monitors and prefetches."""

from __future__ import annotations

from functools import cache

from django.http import HttpRequest

# Our own availability probes and link checker (inspection) identify themselves.
_OWN_AGENTS = ("gongkai-probe", "gongkai-linkcheck")


@cache
def _detector() -> object:
    # CrawlerDetect keeps a bounded cache of the user agents it has judged: a repeated agent costs a dict look-up.
    from crawlerdetect import CrawlerDetect

    return CrawlerDetect()


def is_bot(user_agent: str) -> bool:
    if not user_agent or any(own in user_agent for own in _OWN_AGENTS):
        return True
    return bool(_detector().is_crawler(user_agent))  # type: ignore[attr-defined]


def is_prefetch(request: HttpRequest) -> bool:
    """A page fetched ahead of a click that may never come (Chrome's Sec-Purpose, Firefox's X-Moz)."""
    meta = request.META
    purpose = meta.get("HTTP_SEC_PURPOSE", "") or meta.get("HTTP_PURPOSE", "") or meta.get("HTTP_X_MOZ", "")
    return "prefetch" in purpose.lower()
