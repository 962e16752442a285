"""`{% url %}` with the address shapes kept (core.urls.reverse_cached): the same tag, syntax and output as Django's.

Installed as a template builtin (settings.TEMPLATES), after Django's own, so every template's `{% url %}` is this
one without loading anything.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from gongkai.core.urls import reverse_cached

register = template.Library()


class KeptShapeURLNode(URLNode):
    def render(self, context: template.Context) -> str:
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        request: Any = getattr(context, "request", None)
        try:
            current_app = request.current_app
        except AttributeError:
            current_app = getattr(getattr(request, "resolver_match", None), "namespace", None)
        address = ""
        try:
            address = reverse_cached(view_name, args, kwargs, current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = address
            return ""
        return conditional_escape(address) if context.autoescape else address


@register.tag
def url(parser: template.base.Parser, token: template.base.Token) -> KeptShapeURLNode:
    node = django_url(parser, token)
    return KeptShapeURLNode(node.view_name, node.args, node.kwargs, node.asvar)
