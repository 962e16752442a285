"""The identity provider every sign-on test talks to: one per test process."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from tests.accounts.sign_on_support import CLIENT_ID, CLIENT_SECRET, GONGKAI, IDP_USERS, PASSWORD
from tests.identity_provider import IdentityProvider, identity_provider


@pytest.fixture(scope="session")
def idp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[IdentityProvider]:
    with identity_provider(
        tmp_path_factory.mktemp("idp"),
        users=[{**user, "password": PASSWORD} for user in IDP_USERS],
        clients=[{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                  "redirect_uris": [f"{GONGKAI}/workspace/sso/oidc/callback/"]}],
        cas_services=[rf"^{re.escape(GONGKAI)}/workspace/sso/cas/callback/\?.*$"],
    ) as provider:
        yield provider
