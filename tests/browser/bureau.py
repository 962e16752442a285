"""The office the workspace browser tests work in (明川市科学技术局, one person per review role) and logging in
(reviewers and signers with a second factor, as the accounts app requires of them)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib.auth import get_user_model

from gongkai.catalog.models import Column
from gongkai.orgs.models import Membership, Organisation, Role
from tests.accounts.factories import enrol
from tests.browser.login import log_in as log_in_with_second_factor

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
        if role != Role.EDITOR:
            enrol(user)
    return org


def log_in(page: Any, username: str) -> None:
    log_in_with_second_factor(page, username, PASSWORD)
    page.wait_for_url(re.compile(r"/workspace/$"))
