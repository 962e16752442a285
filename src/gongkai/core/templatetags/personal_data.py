"""`{{ text|masked }}`: free text typed by the public (a subject, a description) with any personal data in it
masked, for lists and other places that show it to more people than the one handling it."""

from __future__ import annotations

from django import template

from gongkai.core.personal_data import mask_text

register = template.Library()


@register.filter
def masked(value: object) -> str:
    return mask_text(str(value or ""))
