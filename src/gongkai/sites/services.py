"""Writes to the site table (网站): one transaction, host names kept in step, an audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gongkai.core.services import record_event
from gongkai.orgs.models import Organisation

from .models import Site, SiteHost
from .selectors import main_hosts


def check_hosts(site: Site) -> None:
    """A host name answers for one site only; the main site's configured names are its own."""
    names = site.host_names()
    taken = SiteHost.objects.filter(host__in=names).exclude(site_id=site.pk).values_list("host", flat=True).first()
    if taken is not None:
        raise ValidationError({"aliases": _("域名“%(host)s”已属于平台上的另一个网站。") % {"host": taken}})
    if not site.is_main:
        clash = sorted(set(names) & main_hosts())
        if clash:
            raise ValidationError({"url": _("域名“%(host)s”是平台主站的地址（GONGKAI_SITE_URL 或 GONGKAI_ALLOWED_HOSTS），"
                                             "不能用于其他网站。") % {"host": clash[0]}})


@transaction.atomic
def save_site(actor: Any, site: Site, *, navigation: list[Any] | None = None) -> Site:
    """Create or change `site` (validated, its host names re-derived from its address and other names)."""
    created = site.pk is None
    site.full_clean()
    check_hosts(site)
    site.save()
    SiteHost.objects.filter(site=site).exclude(host__in=site.host_names()).delete()
    for name in site.host_names():
        SiteHost.objects.get_or_create(host=name, defaults={"site": site})
    if navigation is not None:
        site.navigation.set(navigation)
    record_event(
        actor=actor, action="sites.created" if created else "sites.changed", obj=site,
        organisation_id=site.organisation_id, summary=_("网站：%(name)s") % {"name": site.name},
        data={"hosts": site.host_names(), "is_main": site.is_main},
    )
    return site


def create_site(actor: Any, organisation: Organisation, **fields: Any) -> Site:
    navigation = fields.pop("navigation", None)
    return save_site(actor, Site(organisation=organisation, **fields), navigation=navigation)
