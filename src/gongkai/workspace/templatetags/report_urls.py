"""`{% report_url "create" family org.code year %}`: the address of a report page of any family (the disclosure
report's keep their short form)."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from gongkai.reports.spec import DISCLOSURE

register = template.Library()


@register.simple_tag
def report_url(name: str, family: str, *args: Any) -> str:
    if family == DISCLOSURE:
        return reverse(f"ws_reports:{name}", args=args)
    return reverse(f"ws_reports:family_{name}", args=(family, *args))
