"""Page conventions move from organisations to sites: every organisation that had conventions of its own gets a
site carrying them, with what it inherited from above filled in, so every page shows what it showed before.

The sites get no address of their own (their pages stay on the main host at /org/<code>/, as before); the root
organisation's site becomes the main site. An organisation's 网站地址 is not taken as a host name: it may name a
site outside the platform.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

FIELDS = ("site_code", "icp_number", "police_record_number", "police_record_region", "party_mark_url",
          "party_mark_image")


def forwards(apps: Any, schema_editor: Any) -> None:
    Organisation = apps.get_model("orgs", "Organisation")
    Site = apps.get_model("gongkai_sites", "Site")
    orgs = {o.pk: o for o in Organisation.objects.all()}
    main_taken = False
    for org in sorted(orgs.values(), key=lambda o: o.path):
        if not any(getattr(org, name) for name in FIELDS):
            continue
        ids = [int(p) for p in org.path.strip("/").split("/") if p]
        chain = [orgs[i] for i in reversed(ids) if i in orgs]  # org first, root last
        values = {name: next((getattr(o, name) for o in chain if getattr(o, name)), "") for name in FIELDS}
        is_main = org.parent_id is None and not main_taken
        main_taken = main_taken or is_main
        government = org.kind == "government"
        Site.objects.create(
            organisation=org, name=f"{org.name}{'门户网站' if government else '网站'}", is_main=is_main,
            home_layout="portal" if is_main else "columns", **values,
        )


def backwards(apps: Any, schema_editor: Any) -> None:
    Organisation = apps.get_model("orgs", "Organisation")
    Site = apps.get_model("gongkai_sites", "Site")
    for site in Site.objects.all():
        Organisation.objects.filter(pk=site.organisation_id).update(**{name: getattr(site, name) for name in FIELDS})


class Migration(migrations.Migration):
    dependencies = [("gongkai_sites", "0001_initial"), ("orgs", "0002_site_conventions")]
    operations = [migrations.RunPython(forwards, backwards)]
