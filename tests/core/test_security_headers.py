"""Security headers on every kind of answer: a strict Content-Security-Policy, Permissions-Policy, and HSTS
when the site is declared HTTPS; templates that need nothing inline."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from csp.middleware import CSPMiddleware
from django.test import Client, RequestFactory, override_settings

import gongkai
from gongkai.core.documents import download
from tests.portal.factories import build_site

PAGES = ["/", "/search/?q=科技", "/apply/", "/interact/write/", "/workspace/login/", "/admin/login/",
         "/api/v1/organisations", "/api/openapi.json", "/no-such-page/"]


def directives(header: str) -> dict[str, list[str]]:
    parts = [p.strip().split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_strict_policy_on_every_kind_of_page(client: Client, path: str) -> None:
    build_site()
    response = client.get(path)
    policy = directives(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"] and policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert not any("unsafe" in source for sources in policy.values() for source in sources)
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]
    assert "Strict-Transport-Security" not in response  # not declared HTTPS


@pytest.mark.django_db
def test_hsts_and_upgrade_when_https_is_declared() -> None:
    build_site()
    with override_settings(HSTS_SECONDS=31536000, HSTS_INCLUDE_SUBDOMAINS=False):
        response = Client().get("/")  # a new client builds the middleware with these settings
    assert response["Strict-Transport-Security"] == "max-age=31536000"
    with override_settings(HSTS_SECONDS=600, HSTS_INCLUDE_SUBDOMAINS=True):
        response = Client().get("/workspace/login/")
    assert response["Strict-Transport-Security"] == "max-age=600; includeSubDomains"


def test_https_declaration_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    import gongkai.settings as settings_module

    monkeypatch.setenv("GONGKAI_SITE_URL", "https://gk.example.gov.cn")
    try:
        declared = importlib.reload(settings_module)
        assert declared.HTTPS_DECLARED and declared.HSTS_SECONDS == 31536000
        assert declared.CONTENT_SECURITY_POLICY["DIRECTIVES"]["upgrade-insecure-requests"] is True
    finally:
        monkeypatch.delenv("GONGKAI_SITE_URL")
        plain = importlib.reload(settings_module)
    assert not plain.HTTPS_DECLARED and plain.HSTS_SECONDS == 0
    assert "upgrade-insecure-requests" not in plain.CONTENT_SECURITY_POLICY["DIRECTIVES"]


def test_standalone_html_document_allows_exactly_its_own_style_block() -> None:
    css = "body { font-family: serif; }"
    html = f"<!DOCTYPE html><html><head><style>{css}</style></head><body>年度报告</body></html>"
    request = RequestFactory().get("/reports/x/2024/report.html")
    response = CSPMiddleware(lambda r: download(html, "report.html"))(request)
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert directives(response["Content-Security-Policy"])["style-src"] == ["'self'", f"'sha256-{digest}'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]


# Inline script, event-handler attributes and style attributes would all be refused by the policy above.
INLINE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=", re.IGNORECASE)
# Standalone documents rendered to PDF or saved whole keep their own <style> (allowed by hash when served).
DOCUMENT_TEMPLATES = {"reports/templates/reports/report_page.html", "applications/templates/applications/letter.html"}


def test_templates_have_nothing_inline_the_policy_would_refuse() -> None:
    root = Path(gongkai.__file__).parent
    offenders = []
    for template in root.glob("*/templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        rel = template.relative_to(root).as_posix()
        for match in INLINE.finditer(text):
            offenders.append(f"{rel}: {match.group(0)!r}")
        if "<style" in text and rel not in DOCUMENT_TEMPLATES:
            offenders.append(f"{rel}: <style>")
    assert offenders == []
