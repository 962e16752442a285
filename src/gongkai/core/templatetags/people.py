"""`{{ user|person }}`: a person's name, family name first (core.people)."""

from __future__ import annotations

from typing import Any

from django import template

from gongkai.core.people import display_name

register = template.Library()


@register.filter
def person(user: Any, default: str = "") -> str:
    return display_name(user, default)
