"""WCAG 2.1 AA on every public page kind, in each display mode (normal, 长者模式, 无障碍), checked by axe-core;
the same pages on a phone (phone_layout.py); nothing a strict Content-Security-Policy would block.

axe-core is vendored (tests/browser/vendor/axe.min.js, MPL-2.0, its LICENSE beside it) so that CI on a fresh
machine needs no download, and a new axe release cannot turn the suite red on its own: upgrading it is a
commit. It is run with `page.evaluate`, which a Content-Security-Policy does not block.

The demo city (`gongkai demo`) is built once for the whole run: it has every kind of page there is (items with
attachments and interpretations, duty lists, published letters, consultations open and with feedback, annual
reports). Pages that only exist after a form (a refused form, a receipt, a tracked application or letter) are
reached by filling the forms in.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from gongkai.catalog import selectors as cat
from gongkai.catalog.models import DutyList
from gongkai.interaction import selectors as ix
from gongkai.interaction.models import Consultation
from gongkai.reports import selectors as reports
from tests.browser.phone_layout import ARTIFACTS, INLINE_CODE, PHONE, layout_problems

# The pages' HTML is the same on either database; the catalog's and forms' queries are tested on both elsewhere
# (tests/portal). Building the demo city twice more would add minutes to CI's PostgreSQL phase for nothing.
pytestmark = [pytest.mark.browser, pytest.mark.skipif(
    settings.DATABASES["default"]["ENGINE"].endswith("postgresql"), reason="page sweeps run in the SQLite phase")]

AXE_SOURCE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
# WCAG 2.0 and 2.1, levels A and AA, and axe's best practices (landmarks, headings, one <main>).
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
MODES = {"normal": {}, "elder": {"gk_elder": "1"}, "a11y": {"gk_a11y": "1"}}


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe's violations on the page as it is now: rule, impact, and up to three offending elements."""
    page.evaluate(AXE_SOURCE)
    result = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    return [
        {"rule": v["id"], "impact": v["impact"], "help": v["help"],
         "nodes": [n["target"] for n in v["nodes"][:3]], "count": len(v["nodes"])}
        for v in result["violations"]
    ]


@pytest.fixture
def demo_city(transactional_db: None, demo_snapshot: Any, settings: Any) -> Iterator[None]:
    settings.GONGKAI_FORM_MIN_SECONDS = 0
    demo_snapshot.load()
    yield


def public_addresses() -> list[str]:
    """One address of every kind of public page the demo city has."""
    item = cat.latest_live(limit=1)[0]
    interpreted = next(i for i in cat.latest_live(limit=200) if i.interprets_id)
    duty = DutyList.objects.filter(live_version__isnull=False).select_related("organisation").first()
    letter = ix.published_letters().first()
    open_consultation = next(c for c in ix.public_consultations() if c.accepts_comments())
    with_feedback = next(c for c in ix.public_consultations() if ix.published_feedback(c) is not None)
    report = reports.published_reports().first()
    assert duty and letter and report and isinstance(open_consultation, Consultation)
    return [
        "/", "/orgs/", f"/org/{item.organisation.code}/", item.column.get_absolute_url(),
        item.get_absolute_url(), interpreted.get_absolute_url(), f"{item.get_absolute_url()}?print=1",
        "/catalog/", "/catalog/?topic=11&page=1", "/search/", "/search/?q=科技", "/search/?q=没有这样的词语xyz",
        f"/org/{item.organisation.code}/guide/", f"/org/{duty.organisation.code}/duties/", duty.get_absolute_url(),
        "/apply/", "/apply/mckjj/", "/apply/track/",
        "/interact/", "/interact/write/", "/interact/track/", "/interact/letters/", letter.get_absolute_url(),
        "/interact/consultations/", open_consultation.get_absolute_url(), with_feedback.get_absolute_url(),
        "/reports/", f"/reports/{report.organisation.code}/", f"/reports/{report.organisation.code}/{report.year}/",
        "/data/", "/no-such-page/",
    ]


def refused_and_finished_forms(page: Any) -> Iterator[str]:
    """Drive the forms to their other states, yielding a name for each page reached."""
    page.goto("/apply/mckjj/")
    page.get_by_label("联系电话").fill("abc")
    page.get_by_role("button", name="提交申请").click()
    yield "apply refused"
    page.goto("/apply/track/")
    page.get_by_label("申请编号").fill("YSQ-mckjj-2020-99999")
    page.get_by_label("查询密码").fill("AAAA-BBBB-CCCC")
    page.get_by_role("button", name="查询").click()
    yield "apply track refused"
    page.goto("/interact/write/")
    page.get_by_role("button", name="提交来信").click()
    yield "mailbox refused"
    page.goto("/interact/track/")
    page.get_by_role("button", name="查询").click()
    yield "letter track refused"


def test_every_public_page_passes_axe_and_fits_a_phone_in_every_display_mode(
    browser: Any, live_server: Any, demo_city: None,
) -> None:
    """axe-core at 1280 × 900, then the phone layout at 390 × 844, on every page kind in each display mode; and
    nothing on any page that a strict Content-Security-Policy would block."""
    addresses = public_addresses()
    found: dict[str, list[Any]] = {}
    for mode, cookies in MODES.items():
        for viewport in ({"width": 1280, "height": 900}, PHONE):
            on_phone = viewport is PHONE
            context = browser.new_context(base_url=live_server.url, locale="zh-CN", viewport=viewport,
                                          is_mobile=on_phone, has_touch=on_phone)
            context.add_cookies([{"name": k, "value": v, "url": live_server.url} for k, v in cookies.items()])
            page = context.new_page()

            def check(name: str, page: Any = page, on_phone: bool = on_phone, mode: str = mode) -> None:
                problems = layout_problems(page) if on_phone else [*axe_violations(page), *page.evaluate(INLINE_CODE)]
                if problems:
                    found[f"{mode} {'phone' if on_phone else 'desktop'} {name}"] = problems

            try:
                for address in addresses:
                    page.goto(address)
                    check(address)
                for name in refused_and_finished_forms(page):
                    check(name)
                page.screenshot(path=str(ARTIFACTS / f"pages-{mode}-{viewport['width']}-last.png"), full_page=True)
            finally:
                context.close()
    report = json.dumps(found, ensure_ascii=False, indent=1)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "public-pages-problems.json").write_text(report, encoding="utf-8")
    assert not found, report
