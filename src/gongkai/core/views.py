"""Views that belong to no feature: liveness and readiness probes for load balancers, monitoring and benchmarks."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .readiness import CHECKS, readiness


@never_cache
@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """A constant answer that touches neither the database nor templates.

    It proves the process serves requests; it says nothing about the database on purpose, so that the
    server benchmarks in bench/servers/ measure the server and Django's request path, not SQLite.
    """
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")


@never_cache
@require_safe
def ready(request: HttpRequest) -> HttpResponse:
    """200 when the databases, the cache and the worker answer, else 503; a JSON body says which failed.

    `?checks=database,cache` runs only those (a load balancer need not take every server out because the one
    shared worker stopped; monitoring should watch all three).
    """
    wanted = [name.strip() for name in request.GET.get("checks", "").split(",") if name.strip()] or list(CHECKS)
    unknown = sorted(set(wanted) - set(CHECKS))
    if unknown:
        return JsonResponse(
            {"status": "error", "error": f"unknown checks: {', '.join(unknown)}", "known": list(CHECKS)}, status=400
        )
    ok, body = readiness(dict.fromkeys(wanted))
    return JsonResponse(body, status=200 if ok else 503, json_dumps_params={"ensure_ascii": False})
