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
from gongkai.catalog.models import Column, Item
from gongkai.demo.city import CITY, SCIENCE_BUREAU, DemoContext
from gongkai.demo.interaction import NEGLECTED_COUNTY
from gongkai.orgs.models import Role
from gongkai.review import services as review_services
from gongkai.review.models import Decision
from gongkai.review.selectors import current_task, open_submission
from gongkai.sites import services
from gongkai.syndication import services as syndication_services

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


# 信息报送 in the demo: how many of each department's latest news it submitted to the portal's 部门动态, and how
# many of those the portal accepted (the rest: one refused where fewer were accepted, the newest left waiting).
SUBMITTED = {SCIENCE_BUREAU: (4, 3), "mcjyj": (3, 1), "mcsthjj": (2, 2)}
CHECKS = {name: True for name in Decision.CHECK_FIELDS}


def build_syndication(ctx: DemoContext) -> None:
    """Departments submit their latest news to the city portal; the city's reviewers accept or refuse them."""
    city = ctx.orgs[CITY]
    target = next(c for c in catalog_selectors.columns_of(city) if c.slug == SUBMISSION_COLUMN[0])
    reviewers = ctx.staff[CITY]
    counts = []
    for code, (submitted, accepted) in SUBMITTED.items():
        org = ctx.orgs[code]
        news = list(Item.objects.live().filter(organisation=org, column__slug="gzdt").order_by("-published_at")[:submitted])
        for n, item in enumerate(reversed(news)):
            syndication = syndication_services.submit(ctx.staff[code][Role.EDITOR], item, target)
            if n == len(news) - 1 and n >= accepted:
                continue  # the newest waits for the portal's review
            sub = open_submission(syndication)
            assert sub is not None
            while (task := current_task(sub)) is not None:
                if n >= accepted:
                    review_services.decide(reviewers[task.role], task, action="return", checks={},
                                           comment="内容以部门内部事务为主，不宜在门户网站发布。")
                    break
                review_services.decide(reviewers[task.role], task, action="approve", checks=CHECKS)
        counts.append(f"{org.short_name or org.name} {len(news)} 条（采用 {min(accepted, len(news))}）")
    ctx.report("信息报送到市政府门户网站“部门动态”：" + "，".join(counts) + "。")
