"""Writes of the website self-inspection: link-check answers, availability probes, recorded runs, the weekly digest.

None of these writes to the catalog or any other app: they store the inspection's own observations (`Probe`,
`LinkCheck`, `InspectionRun`) and send mail.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.mail import queue_mail
from gongkai.orgs.models import Organisation
from gongkai.orgs.selectors import administrators_of, organisations_in_order

from . import indicators as ind
from .evaluate import Inspection, inspect, item_links
from .links import (
    DEFAULT_CAP,
    DEFAULT_DELAY,
    DEFAULT_MAX_AGE,
    DEFAULT_TIMEOUT,
    Answer,
    Politeness,
    ask,
    is_external,
)
from .models import InspectionRun, LinkCheck, Probe
from .plain_text import render_text


@dataclass(frozen=True)
class LinkRun:
    checked: int  # asked the other site
    cached: int  # answered from a fresh cache entry
    skipped: int  # left for a later run (over the cap)


def check_external_links(
    urls: Iterable[str], *, timeout: float = DEFAULT_TIMEOUT, delay: float = DEFAULT_DELAY, cap: int = DEFAULT_CAP,
    max_age: dt.timedelta = DEFAULT_MAX_AGE, asker: Callable[..., Answer] = ask,
    politeness: Politeness | None = None,
) -> LinkRun:
    """Ask the external `urls` whose cached answer is missing or older than `max_age`, at most `cap` of them, one
    request per host every `delay` seconds, each under `timeout`; store each answer."""
    politeness = politeness or Politeness(delay=delay)
    wanted = [u for u in dict.fromkeys(urls) if is_external(u)]
    fresh_after = timezone.now() - max_age
    fresh = set(LinkCheck.objects.filter(url__in=wanted, checked_at__gte=fresh_after).values_list("url", flat=True))
    stale = [u for u in wanted if u not in fresh]
    todo, skipped = stale[:cap], stale[cap:]
    for url in todo:
        politeness.wait_for(url)
        answer = asker(url, timeout=timeout)
        LinkCheck.objects.update_or_create(url=url, defaults={
            "checked_at": timezone.now(), "status": answer.status, "ok": answer.ok, "error": answer.error[:300],
        })
    return LinkRun(checked=len(todo), cached=len(fresh), skipped=len(skipped))


def check_organisation_links(org: Organisation, at: dt.date, **options: object) -> LinkRun:
    """Refresh the cached answers of the external links in `org`'s published items."""
    return check_external_links((url for _item, url in item_links(org, at)), **options)  # type: ignore[arg-type]


# ---- availability probes ----------------------------------------------------------------------------------

MAX_PROBE_URLS = 50


def probe_base_allowed(base: str) -> bool:
    """Probes go only to this machine (loopback) or to the configured SITE_URL, never elsewhere."""
    parts = urlsplit(base)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        return False
    if base.rstrip("/") == settings.SITE_URL.rstrip("/"):
        return True
    host = parts.hostname
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def probe_targets(base: str) -> list[tuple[Organisation | None, str]]:
    """The platform home page and each organisation's home page, at most MAX_PROBE_URLS."""
    base = base.rstrip("/")
    targets: list[tuple[Organisation | None, str]] = [(None, base + "/")]
    for org in organisations_in_order()[: MAX_PROBE_URLS - 1]:
        targets.append((org, f"{base}{org.get_absolute_url()}"))
    return targets


def probe_once(url: str, *, timeout: float = ind.AVAILABILITY_SLOW_SECONDS,
               clock: Callable[[], float] = time.monotonic) -> tuple[int | None, float, str]:
    """GET `url` once: (status or None, seconds, error)."""
    started = clock()
    request = urllib.request.Request(url, headers={"User-Agent": "gongkai-probe/1.0"})  # noqa: S310 - base checked
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - base checked
            response.read()
            return response.status, clock() - started, ""
    except urllib.error.HTTPError as exc:
        return exc.code, clock() - started, f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return None, clock() - started, str(reason)[:300] or exc.__class__.__name__


def probe_round(base: str, *, timeout: float = ind.AVAILABILITY_SLOW_SECONDS) -> list[Probe]:
    """Probe every target once and store each answer. Refuses a base that is neither loopback nor SITE_URL."""
    if not probe_base_allowed(base):
        raise ValueError(_("只能监测本机（回环地址）或配置的站点地址 %(s)s，不能监测 %(b)s") % {"s": settings.SITE_URL, "b": base})
    probes: list[Probe] = []
    for org, url in probe_targets(base):
        status, seconds, error = probe_once(url, timeout=timeout)
        probes.append(Probe.objects.create(organisation=org, url=url, probed_at=timezone.now(), status=status,
                                           duration=round(seconds, 3), error=error))
    return probes


# ---- weekly digest --------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class DigestSent:
    organisation: Organisation
    recipients: list[str]
    failed_vetoes: int


def send_digests(at: dt.date | None = None, *, organisations: Iterable[Organisation] | None = None) -> list[DigestSent]:
    """E-mail each organisation's administrators its inspection (每周自查摘要); organisations without an
    administrator with an address are skipped."""
    at = at or timezone.localdate()
    sent: list[DigestSent] = []
    for org in organisations if organisations is not None else organisations_in_order():
        recipients = [u.email for u in administrators_of(org) if u.email]
        if not recipients:
            continue
        result = inspect(org, at)
        subject = _("【网站自查周报】%(name)s %(at)s：%(v)s") % {"name": org.name, "at": at, "v": result.verdict}
        queue_mail(recipients, subject, render_text(result), kind="inspection.digest", organisation_id=org.pk)
        sent.append(DigestSent(org, recipients, len(result.vetoes)))
    return sent


# ---- recorded runs (自查记录) ----------------------------------------------------------------------------------

def problem_keys(result: Inspection) -> list[str]:
    """One key per finding of the indicators that found anything: the indicator and what the finding is about."""
    return sorted({f"{r.indicator.key}:{f.label}" for r in result.problems for f in r.findings}
                  | {r.indicator.key for r in result.problems if not r.findings})


def record_run(org: Organisation, at: dt.date) -> InspectionRun:
    """Inspect `org` as of `at` and keep the run (the platform's own bookkeeping: no acting user)."""
    result = inspect(org, at)
    return InspectionRun.objects.create(
        organisation=org, at=at, passed=result.passed, problems=problem_keys(result),
        vetoes=[r.indicator.key for r in result.vetoes], points_lost=result.points_lost,
    )


def record_runs(at: dt.date | None = None) -> int:
    """The weekly self-inspection of every organisation's site, kept (periodic job `inspection.record_runs`)."""
    at = at or timezone.localdate()
    organisations = list(organisations_in_order())
    for org in organisations:
        record_run(org, at)
    return len(organisations)
