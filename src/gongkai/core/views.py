"""Views that belong to no feature: a liveness probe for load balancers, monitoring and benchmarks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """A constant answer that touches neither the database nor templates.

    It proves the process serves requests; it says nothing about the database on purpose, so that the
    server benchmarks in bench/servers/ measure the server and Django's request path, not SQLite.
    """
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
