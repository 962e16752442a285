"""What a public page counts as (页面归属): its kind, and the organisation, column and item it belongs to.

A portal view names its page with `count_as(request, kind, organisation=…, column=…, item=…)`; a view that does not
is counted by its URL name under the platform's own site. The public page cache keeps the target beside the page
(`remember`), so a cached page counts exactly as it did when it was rendered.

Public pages are those of the portal's URL namespaces. A static-publishing access-log import (not built) would
map a file path back to the same targets through the portal's URL resolver and feed `buffer.record` the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from gongkai.sites.selectors import current_site

# The portal's URL namespaces (portal/urls*.py): the pages whose views count.
PUBLIC_NAMESPACES = frozenset({"portal", "portal_reports", "interact", "apply"})
_ATTRIBUTE = "_gongkai_visit_target"


@dataclass(frozen=True, slots=True)
class Target:
    """A page as counted: `organisation_id` None means the platform's own site (the root organisation); pages of
    a site's own (home, search, forms) count for the site's organisation."""

    kind: str
    organisation_id: int | None = None
    column_id: int = 0
    item_id: int = 0


def count_as(
    request: HttpRequest, kind: str, *, organisation: Any = None, column: Any = None, item: Any = None
) -> None:
    """Name what this page counts as (call it from the view that renders the page). A page of no organisation
    counts for the site serving it (its organisation; the platform's own site when that has none)."""
    remember(request, Target(
        kind=kind,
        organisation_id=organisation.pk if organisation is not None else current_site().organisation_id,
        column_id=column.pk if column is not None else 0,
        item_id=item.pk if item is not None else 0,
    ))


def remember(request: HttpRequest, target: Target | None) -> None:
    setattr(request, _ATTRIBUTE, target)


def target_of(request: HttpRequest) -> Target | None:
    """What the page of this request counts as, or None for pages that are not public (staff, admin, API)."""
    target: Target | None = getattr(request, _ATTRIBUTE, None)
    if target is not None:
        return target
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace not in PUBLIC_NAMESPACES:
        return None
    return Target(kind=match.url_name or match.namespace, organisation_id=current_site().organisation_id)
