"""The read-replica router's decisions (gongkai.core.db_router), without a real replica.

The router only names an alias; `QuerySet.db` asks it without connecting, so no `replica` database is needed.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.test.utils import override_settings

from gongkai.catalog.models import Item
from gongkai.core.db_router import (
    PRIMARY,
    REPLICA,
    STICKY_COOKIE,
    ReplicaReadsMiddleware,
    ReplicaRouter,
    replica_reads,
)
from gongkai.orgs.models import Organisation

router = ReplicaRouter()
# The database cache's rows are not a model; its "model" only carries an app label.
CACHE_ENTRY = SimpleNamespace(_meta=SimpleNamespace(app_label="django_cache"))


@pytest.fixture(autouse=True)
def _router_installed() -> Any:
    with override_settings(DATABASE_ROUTERS=["gongkai.core.db_router.ReplicaRouter"]):
        yield


def test_reads_outside_a_replica_context_go_to_the_primary() -> None:
    assert router.db_for_read(Item) == PRIMARY
    assert Item.objects.all().db == PRIMARY


def test_reads_inside_the_context_go_to_the_replica_until_the_first_write() -> None:
    with replica_reads():
        assert Item.objects.all().db == REPLICA
        assert Organisation.objects.all().db == REPLICA
        assert router.db_for_write(Item) == PRIMARY
        # Read-your-writes: the rest of this request reads where it wrote.
        assert Item.objects.all().db == PRIMARY
    assert router.db_for_read(Item) == PRIMARY


def test_a_cache_write_does_not_pin_the_request_to_the_primary() -> None:
    with replica_reads():
        assert router.db_for_write(CACHE_ENTRY) == PRIMARY  # type: ignore[arg-type]
        assert Item.objects.all().db == REPLICA


def test_shared_request_state_is_always_read_from_the_primary() -> None:
    with replica_reads():
        assert router.db_for_read(Session) == PRIMARY
        assert router.db_for_read(CACHE_ENTRY) == PRIMARY  # type: ignore[arg-type]


@pytest.mark.django_db
def test_reads_inside_a_transaction_on_the_primary_stay_there() -> None:
    with replica_reads(), transaction.atomic():
        assert Item.objects.all().db == PRIMARY


def test_migrations_run_only_on_the_primary_and_relations_cross_aliases() -> None:
    assert router.allow_migrate(PRIMARY, "catalog") is True
    assert router.allow_migrate(REPLICA, "catalog") is False
    assert router.allow_relation(object(), object()) is True


def _through_middleware(request: HttpRequest) -> tuple[str, HttpResponse]:
    """Runs the middleware around a view that notes where its reads go."""
    seen: list[str] = []

    def view(req: HttpRequest) -> HttpResponse:
        seen.append(Item.objects.all().db)
        return HttpResponse("ok")

    response = ReplicaReadsMiddleware(view)(request)
    return seen[0], response


def _request(method: str, path: str, user: Any = None, cookies: dict[str, str] | None = None) -> HttpRequest:
    request: HttpRequest = getattr(RequestFactory(), method)(path)
    request.user = user or AnonymousUser()
    request.COOKIES.update(cookies or {})
    return request


def _staff() -> Any:
    return SimpleNamespace(is_authenticated=True)


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda: _request("get", "/"), REPLICA),
        (lambda: _request("head", "/org/yckjj/"), REPLICA),
        (lambda: _request("get", "/search/", cookies={"sessionid": "x"}), REPLICA),  # anonymous despite a cookie
        (lambda: _request("get", "/", user=_staff()), PRIMARY),  # staff see their own work at once
        (lambda: _request("post", "/apply/"), PRIMARY),
        (lambda: _request("get", "/workspace/"), PRIMARY),
        (lambda: _request("get", "/admin/"), PRIMARY),
        (lambda: _request("get", "/api/v1/items/"), PRIMARY),
        (lambda: _request("get", "/apply/done/", cookies={STICKY_COOKIE: "1"}), PRIMARY),  # just wrote
    ],
    ids=["home", "head", "anon-session", "staff", "post", "workspace", "admin", "api", "after-write"],
)
def test_middleware_decides_per_request(make: Callable[[], HttpRequest], expected: str) -> None:
    used, _ = _through_middleware(make())
    assert used == expected


def test_a_write_request_keeps_the_visitor_on_the_primary_for_a_moment(settings: Any) -> None:
    settings.GONGKAI_REPLICA_STICKY_SECONDS = 7
    _, response = _through_middleware(_request("post", "/interact/letters/new/"))
    cookie = response.cookies[STICKY_COOKIE]
    assert cookie["max-age"] == 7 and cookie["httponly"]
    _, response = _through_middleware(_request("get", "/"))
    assert STICKY_COOKIE not in response.cookies
