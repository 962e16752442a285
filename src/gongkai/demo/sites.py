"""Demo stage: the city's sites by host name (政府网站集约化) for `gongkai demo`.

The city portal answers on www.mc.localhost and 明川市科学技术局's own site on kjj.mc.localhost (browsers resolve
*.localhost to the loopback address), both on GONGKAI_SITE_URL's port, beside GONGKAI_SITE_URL itself (the main
site). 西岭县科学技术局 has a site of its own without a host name: its pages stay at /org/<code>/ on the main host
with the site's own 网站标识码. Everything goes through sites.services, as an administrator's change would.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings

from gongkai.catalog import selectors as catalog_selectors
from gongkai.catalog import services as catalog_services
from gongkai.catalog.models import Column
from gongkai.demo.city import CITY, SCIENCE_BUREAU, DemoContext
from gongkai.demo.interaction import NEGLECTED_COUNTY
from gongkai.orgs.models import Role
from gongkai.sites import services

PORTAL_HOST = "www.mc.localhost"
SCIENCE_HOST = "kjj.mc.localhost"
# The column of the city portal departments submit their news to (信息报送).
SUBMISSION_COLUMN = ("bmdt", "部门动态", "市政府各部门报送、经市政府办公室采用的工作动态")

# Fictional values (the demo never impersonates a real site): 标识码 99990000xx are not issued to anyone.
CITY_CONVENTIONS = {
    "site_code": "9999000001", "icp_number": "明ICP备99000001号", "police_record_number": "99000002000001",
    "police_record_region": "明", "party_mark_url": "https://bszs.conac.cn/sitename?method=show&id=DEMO0001",
}
SCIENCE_CONVENTIONS = {**CITY_CONVENTIONS, "site_code": "9999000002"}
NEGLECTED_CONVENTIONS = {**CITY_CONVENTIONS, "site_code": "9999000102", "icp_number": "明ICP备99000102号"}


def address(host: str) -> str:
    """`host` on GONGKAI_SITE_URL's scheme and port (the demo serves every site from one process)."""
    parts = urlsplit(settings.SITE_URL)
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme or 'http'}://{host}{port}"


def build(ctx: DemoContext) -> None:
    admin = ctx.staff[CITY][Role.ADMIN]
    city, bureau = ctx.orgs[CITY], ctx.orgs[SCIENCE_BUREAU]
    columns = {c.slug: c for c in catalog_selectors.columns_of(city)}
    if SUBMISSION_COLUMN[0] not in columns:
        slug, name, description = SUBMISSION_COLUMN
        columns[slug] = catalog_services.create_column(
            ctx.staff[CITY][Role.EDITOR], city, name=name, slug=slug, description=description,
            statutory_category="art20_15", update_class=Column.UpdateClass.NEWS, expected_update_days=7,
            sort_order=25,
        )
    services.create_site(
        admin, city, name="明川市人民政府门户网站", url=address(PORTAL_HOST), is_main=True, platform_search=True,
        home_layout="portal", navigation=[columns[s] for s in ("gzdt", "bmdt") if s in columns],
        **CITY_CONVENTIONS,
    )
    bureau_columns = {c.slug: c for c in catalog_selectors.columns_of(bureau)}
    services.create_site(
        admin, bureau, name="明川市科学技术局网站", url=address(SCIENCE_HOST), colour="#1d4f91",
        home_layout="columns", navigation=[bureau_columns[s] for s in ("gzdt", "tzgg") if s in bureau_columns],
        **SCIENCE_CONVENTIONS,
    )
    services.create_site(admin, ctx.orgs[NEGLECTED_COUNTY], name="西岭县科学技术局网站", **NEGLECTED_CONVENTIONS)
    ctx.report(f"网站：门户 {address(PORTAL_HOST)}/ ，{bureau.name} {address(SCIENCE_HOST)}/ （均由同一进程应答，"
               f"{settings.SITE_URL}/ 同为主站）。")
