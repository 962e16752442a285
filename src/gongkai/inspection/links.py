"""Links in published items (链接检测): finding them, and asking other sites about them politely.

External addresses are asked with HEAD (GET when HEAD is refused) under a short timeout, at most one request
per host every `delay` seconds, at most `cap` requests per run, and each answer is kept (`LinkCheck`) and reused
until it is older than `max_age`: an inspection run never hammers another site and never hangs on one.
"""

from __future__ import annotations

import datetime as dt
import socket
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext

USER_AGENT = "gongkai-linkcheck/1.0 (+self-inspection; one request per host per second at most)"
DEFAULT_TIMEOUT = 5.0
DEFAULT_DELAY = 1.0
DEFAULT_CAP = 100
DEFAULT_MAX_AGE = dt.timedelta(days=7)


class _LinkParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        wanted = {"a": "href", "img": "src", "iframe": "src", "source": "src"}.get(tag)
        for name, value in attrs:
            if name == wanted and value and value.strip():
                self.links.append(value.strip())


def links_in(html: str) -> list[str]:
    """The addresses an HTML body links to (a href, img/iframe/source src), in order, without repeats."""
    parser = _LinkParser()
    parser.feed(html or "")
    parser.close()
    return list(dict.fromkeys(parser.links))


def site_path(url: str) -> str | None:
    """The path of an address on this site (relative, or under SITE_URL); None for any other site or scheme."""
    if url.startswith("/") and not url.startswith("//"):
        return url
    base = settings.SITE_URL.rstrip("/")
    if url == base or url.startswith(base + "/"):
        return url[len(base):] or "/"
    return None


def is_external(url: str) -> bool:
    """An http(s) address of another site (mailto:, tel:, javascript: and #fragments are not checked)."""
    return site_path(url) is None and urlsplit(url).scheme in {"http", "https"}


@dataclass(frozen=True)
class Answer:
    status: int | None
    ok: bool
    error: str = ""


class _NoRedirectBody(urllib.request.HTTPRedirectHandler):
    max_redirections = 5


def ask(url: str, *, timeout: float = DEFAULT_TIMEOUT) -> Answer:
    """One check of an external address: HEAD, then GET if HEAD is not allowed. Never raises; never waits
    longer than about `timeout` seconds per request."""
    opener = urllib.request.build_opener(_NoRedirectBody())
    for method in ("HEAD", "GET"):
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310 - http(s) only
        try:
            with opener.open(request, timeout=timeout) as response:
                if method == "GET":
                    response.read(1024)
                return Answer(status=response.status, ok=response.status < 400)
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in {403, 405, 501}:
                continue  # some servers refuse HEAD only
            return Answer(status=exc.code, ok=False, error=f"HTTP {exc.code}")
        except TimeoutError:
            return Answer(status=None, ok=False, error=gettext("超时"))
        except urllib.error.URLError as exc:
            reason = exc.reason
            text = gettext("超时") if isinstance(reason, (TimeoutError, socket.timeout)) else str(reason)
            return Answer(status=None, ok=False, error=text[:300])
        except (OSError, ValueError) as exc:
            return Answer(status=None, ok=False, error=str(exc)[:300])
    return Answer(status=None, ok=False, error=gettext("无法访问"))  # pragma: no cover - loop always returns


@dataclass
class Politeness:
    """At most one request per host every `delay` seconds (the clock and the sleep are injectable)."""

    delay: float = DEFAULT_DELAY
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep

    def __post_init__(self) -> None:
        self._last: dict[str, float] = {}

    def wait_for(self, url: str) -> None:
        host = urlsplit(url).netloc.lower()
        last = self._last.get(host)
        if last is not None:
            remaining = self.delay - (self.clock() - last)
            if remaining > 0:
                self.sleep(remaining)
        self._last[host] = self.clock()


def unique(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))
