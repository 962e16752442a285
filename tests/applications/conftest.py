"""Fixtures for the applications tests: an organisation with a handler and an approver."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache

from gongkai.orgs.models import Membership, Organisation, Role


@pytest.fixture(autouse=True)
def _clear_cache(db: None) -> None:
    cache.clear()


@pytest.fixture
def org(db: None) -> Organisation:
    return Organisation.objects.create(name="明川市科学技术局", short_name="市科技局", code="mckjj",
                                       index_code="11999900MB0000102B", phone="0000-6088732")


@pytest.fixture
def other_org(db: None) -> Organisation:
    return Organisation.objects.create(name="明川市教育局", short_name="市教育局", code="mcjyj",
                                       index_code="11999900MB0000203C")


@pytest.fixture
def handler(make_user: Callable[..., Any], org: Organisation) -> Any:
    user = make_user("handler", email="handler@example.test")
    Membership.objects.create(user=user, organisation=org, role=Role.EDITOR)
    return user


@pytest.fixture
def head(make_user: Callable[..., Any], org: Organisation) -> Any:
    user = make_user("head")
    Membership.objects.create(user=user, organisation=org, role=Role.APPROVER)
    return user
