"""The office the workspace browser tests work in (明川市科学技术局, one person per review role) and logging in."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.catalog.models import Column
from gongkai.orgs.models import Membership, Organisation, Role

PASSWORD = "browser-test-password-1"
STAFF = [("editor", Role.EDITOR), ("reviewer", Role.FIRST_REVIEWER), ("secrecy", Role.SECRECY_REVIEWER),
         ("approver", Role.APPROVER)]


def make_bureau() -> Organisation:
    org = Organisation.objects.create(
        name="明川市科学技术局", short_name="市科技局", code="mckjj", index_code="11999900MB0000102B",
        address="明川市人民路1号", phone="0000-1234567",
    )
    Column.objects.create(organisation=org, name="通知公告", slug="tzgg", update_class="notice_policy")
    User = get_user_model()
    for username, role in STAFF:
        user = User.objects.create_user(username=username, password=PASSWORD)
        Membership.objects.create(user=user, organisation=org, role=role)
    return org


def log_in(page: Any, username: str) -> None:
    page.context.clear_cookies()
    page.goto("/workspace/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r"/workspace/$"))
