"""Factories for catalog tests: an organisation with a column and one member per role, item data, review."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from gongkai.catalog.models import Column
from gongkai.orgs.models import Membership, Organisation, Role
from gongkai.review import services as review
from gongkai.review.models import Decision
from gongkai.review.selectors import current_task, review_state

ALL_CHECKS = {f: True for f in Decision.CHECK_FIELDS}


@pytest.fixture
def org(db):
    return Organisation.objects.create(name="银川市科学技术局", short_name="市科技局", code="yckjj", index_code="11640100MB1234567X")


@pytest.fixture
def column(org):
    return Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")


@pytest.fixture
def staff(org):
    User = get_user_model()
    users = {}
    for role in Role.values:
        u = User.objects.create_user(username=role, password="correct-horse-battery")
        Membership.objects.create(user=u, organisation=org, role=role)
        users[role] = u
    return users


def item_data(column, **extra):
    data = {
        "column_id": column.pk, "title": "关于开展2024年度科技项目申报工作的通知", "summary": "项目申报",
        "body": "<p>各有关单位：现将申报事项通知如下。</p>", "document_number": "银科发〔2024〕3号",
        "written_on": dt.date(2024, 3, 1), "topic": "11", "genre": "notice", "keywords": "科技 项目",
        "source": "", "is_policy": False, "is_normative": False, "validity": "", "effective_on": None,
        "expires_on": None, "abolished_on": None, "disclosure": "proactive", "non_disclosure_reason": "",
        "interprets_id": None, "interpretation_form": "", "index_number": "",
    }
    data.update(extra)
    return data


def approve_all(staff, item, **kwargs):
    sub = review_state(item).submission
    for role in ("first_reviewer", "secrecy_reviewer", "approver"):
        task = current_task(sub)
        assert task is not None and task.role == role
        review.decide(staff[role], task, action="approve", checks=ALL_CHECKS, **kwargs)
    item.refresh_from_db()
    return sub
