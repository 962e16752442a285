"""Where reports come from: files, folders and http(s) addresses (审查对象).

Folders are read for the kinds of file a report is published as (.pdf, .docx, .html/.htm/.shtml, .txt),
in name order, so a README beside the reports is not taken for one. An address is fetched with a size
limit and a time limit; `allow_private=False` (the workspace) refuses addresses that resolve to this
machine or a private network, so a page cannot be used to reach internal services.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext

from .run import MAX_BYTES

REPORT_SUFFIXES = (".pdf", ".docx", ".html", ".htm", ".shtml", ".xhtml", ".txt", ".text")
FETCH_TIMEOUT = 20.0
USER_AGENT = "gongkai-audit/1.0 (annual report auditor)"


class SourceError(Exception):
    """A source that cannot be fetched or opened; the message is in Chinese."""


def is_address(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def expand(paths: list[str]) -> Iterator[str]:
    """Files named, the report files inside folders named (recursively, sorted), and addresses as given."""
    for item in paths:
        if is_address(item):
            yield item
            continue
        path = Path(item)
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in REPORT_SUFFIXES and not child.name.startswith("."):
                    yield str(child)
        else:
            yield item


def read_file(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(gettext("无法打开文件：%(reason)s") % {"reason": exc.strerror or exc}) from exc
    return data


def _check_host(host: str) -> None:
    try:
        infos = socket.getaddrinfo(host, None)
    except OSError as exc:
        raise SourceError(gettext("无法解析网址中的主机名 %(host)s") % {"host": host}) from exc
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if not address.is_global:
            raise SourceError(gettext("网址指向内部网络地址（%(address)s），不予访问") % {"address": address})


class _NoPrivateRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(
        self, req: urllib.request.Request, fp: Any, code: int, msg: str, headers: Any, newurl: str
    ) -> urllib.request.Request | None:
        host = urllib.parse.urlsplit(newurl).hostname or ""
        _check_host(host)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, allow_private: bool = True, timeout: float = FETCH_TIMEOUT) -> bytes:
    """The body of an http(s) address, at most MAX_BYTES; SourceError with a Chinese message otherwise."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise SourceError(gettext("只能审查 http:// 或 https:// 开头的网址"))
    handlers: list[urllib.request.BaseHandler] = []
    if not allow_private:
        _check_host(parts.hostname)
        handlers.append(_NoPrivateRedirects())
    opener = urllib.request.build_opener(*handlers)
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})  # noqa: S310 (scheme checked above)
    try:
        with opener.open(request, timeout=timeout) as response:
            data: bytes = response.read(MAX_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise SourceError(gettext("网址返回错误 %(code)s") % {"code": exc.code}) from exc
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise SourceError(gettext("无法访问网址：%(reason)s") % {"reason": reason}) from exc
    if len(data) > MAX_BYTES:
        raise SourceError(gettext("网址的内容超过 %(limit)s MB，已放弃") % {"limit": MAX_BYTES // (1024 * 1024)})
    return data


# Headings of a published report, looked for in a page.
__i18n_exempt__ = ("_REPORT_MARKERS",)

_REPORT_MARKERS = ("总体情况", "收到和处理政府信息公开申请")
_ATTACHMENT = re.compile(r"\.(?:pdf|docx)(?:$|[?#])", re.IGNORECASE)


def attachment_of(page: bytes, base_url: str) -> str | None:
    """The address of the report a page only links to (a notice with the report attached as PDF or DOCX):
    the one attachment, or the one whose link names a report; None when the page is the report itself."""
    import lxml.html

    from .readers import decode_html

    text = decode_html(page)
    if all(marker in re.sub(r"\s+", "", text) for marker in _REPORT_MARKERS):
        return None
    try:
        root = lxml.html.document_fromstring(text)
    except (ValueError, lxml.etree.ParserError):
        return None
    links = []
    for anchor in root.iter("a"):
        href = (anchor.get("href") or "").strip()
        if href and _ATTACHMENT.search(href):
            links.append((urllib.parse.urljoin(base_url, href), anchor.text_content().strip()))
    links = list(dict.fromkeys(links))
    named = [url for url, label in links if "报告" in label or "年报" in label or "报告" in urllib.parse.unquote(url)]
    if len(named) == 1:
        return named[0]
    return links[0][0] if len(links) == 1 else None


def fetch_report(url: str, *, allow_private: bool = True) -> tuple[bytes, str]:
    """A report given by address, and where it was read from: the page itself, or the report it attaches."""
    data = fetch(url, allow_private=allow_private)
    if data.lstrip()[:1] != b"<":
        return data, url
    attachment = attachment_of(data, url)
    if attachment is None or attachment == url:
        return data, url
    return fetch(attachment, allow_private=allow_private), attachment
