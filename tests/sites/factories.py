"""Sites for tests, made through sites.services as an administrator would."""

from __future__ import annotations

from typing import Any

from gongkai.orgs.models import Organisation
from gongkai.sites import services
from gongkai.sites.models import Site


def make_site(org: Organisation, **fields: Any) -> Site:
    fields.setdefault("name", f"{org.name}网站")
    return services.create_site(None, org, **fields)
