"""Template tags of the page conventions (网站规范): the footer marks and the display switches."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from gongkai.core.urls import reverse_cached
from gongkai.orgs.models import Organisation

from .. import fragments
from ..views_conventions import DISPLAY_MODES, active_modes

register = template.Library()

ICP_QUERY_URL = "https://beian.miit.gov.cn/"
POLICE_QUERY_URL = "https://beian.mps.gov.cn/#/query/webSearch?code="
ERROR_REPORT_URL = "https://zfwzgl.www.gov.cn/exposure/jiucuo.html"


def page_address(request: Any, org: Organisation | None = None) -> str:
    """This page's absolute address on the site it belongs to (`org`'s, else the one serving it): the configured
    address, never the Host header a client sent."""
    owner = fragments.site_of(org) if org is not None else fragments.site()
    return owner.absolute(request.get_full_path())


@register.inclusion_tag("portal/_site_conventions.html", takes_context=True)
def site_conventions_footer(context: template.Context, org: Organisation | None = None) -> dict[str, Any]:
    """The footer marks (网站标识码, ICP and 公安 filings, 党政机关, 找错) of the site the page belongs to: `org`'s
    (a county bureau's site without a host name of its own still shows its own marks on the main host), else
    the site serving it."""
    request = context.get("request")
    values = (fragments.site_of(org) if org is not None else fragments.site()).conventions_dict()
    site_code = values.get("site_code", "")
    error_report = ""
    if site_code and request is not None:
        error_report = ERROR_REPORT_URL + "?" + urlencode({"site_code": site_code, "url": page_address(request, org)})
    police = values.get("police_record_number", "")
    return {
        "org": org, "c": values, "error_report_url": error_report, "icp_url": ICP_QUERY_URL,
        "police_url": POLICE_QUERY_URL + police if police else "",
    }


@register.simple_tag(takes_context=True)
def display_mode_classes(context: template.Context) -> str:
    request = context.get("request")
    return "".join(f" mode-{m}" for m in active_modes(request)) if request is not None else ""


@register.simple_tag(takes_context=True)
def display_mode_switch(context: template.Context) -> SafeString:
    """The 长者模式 and 无障碍 switches: plain links that work without JavaScript (conventions.js turns them into
    toggles). Built here rather than by an included template: every public page shows them, uncached."""
    request = context.get("request")
    active = active_modes(request) if request is not None else []
    here = request.get_full_path() if request is not None else "/"
    base = reverse_cached("portal:display_mode")
    labels = {"elder": (_("长者模式"), _("退出长者模式")), "a11y": (_("无障碍"), _("退出无障碍"))}
    links = []
    for mode in DISPLAY_MODES:
        on = mode in active
        href = f"{base}?{urlencode({'mode': mode, 'on': '0' if on else '1', 'next': here})}"
        links.append((href, mode, "1" if on else "0", labels[mode][1], labels[mode][0], labels[mode][1 if on else 0]))
    html = format_html_join("", '<a class="display-mode" href="{}" data-mode="{}" data-on="{}" data-label-on="{}" '
                            'data-label-off="{}">{}</a>', links)
    return format_html('<span class="display-modes" aria-label="{}" role="group">{}</span>', _("浏览模式"), html)
