"""Factories for 政民互动 tests: an organisation with the four working roles, letters, replies through review."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from gongkai.interaction import services
from gongkai.interaction.models import Letter
from gongkai.orgs.models import Membership, Organisation, Role
from tests.interaction.factories import Staff, letter_input


@pytest.fixture
def make_org(db: None, make_user: Callable[..., Any]) -> Callable[..., Staff]:
    def make(code: str = "kjj", name: str = "测试市科学技术局", parent: Organisation | None = None) -> Staff:
        org = Organisation.objects.create(name=name, code=code, index_code=code.upper(), parent=parent)
        users = {}
        for role in (Role.EDITOR, Role.FIRST_REVIEWER, Role.SECRECY_REVIEWER, Role.APPROVER, Role.ADMIN):
            user = make_user(f"{code}-{role}")
            Membership.objects.create(user=user, organisation=org, role=role)
            users[role] = user
        return Staff(org, users)

    return make


@pytest.fixture
def staff(make_org: Callable[..., Staff]) -> Staff:
    return make_org()


@pytest.fixture
def write_letter(db: None) -> Callable[..., tuple[Letter, str]]:
    counter = iter(range(1, 10_000))

    def write(org: Organisation, *, now: dt.datetime | None = None, **overrides: Any) -> tuple[Letter, str]:
        # Each letter from its own address, so that rate limiting does not get in the way of other tests.
        return services.submit_letter(org, letter_input(**overrides), address=f"10.0.0.{next(counter) % 250}",
                                      now=now or timezone.now())

    return write
