"""Demo organisations and staff (演示数据：机构与用户) for `gongkai demo`.

The city is fictional on purpose (明川市), so the demo never impersonates a real government: names, codes,
addresses, telephone numbers (area code 0000, which no exchange uses) and e-mail domains are invented.

Also home of `DemoContext`, the state every demo builder shares.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from gongkai.orgs.models import Membership, Organisation, Role

# One password for every demo account, printed by the command; long enough for the password validators.
DEMO_PASSWORD = "gongkai-demo-2024"  # noqa: S105 - a published demo password, by design
# The demo's accounts that must use a second factor share one published authenticator secret (base32), so that
# the tour needs no enrolment: add it to any authenticator app, or let `gongkai demo-code` show the current code.
DEMO_TOTP_SECRET = "GONGKAI2DEMOMINGCHUANTOTPSECRETX"  # noqa: S105 - published, like the password
SCIENCE_BUREAU = "mckjj"
CITY = "mcs"


@dataclass
class DemoContext:
    """What the builders share: the seed, "today", the organisations and staff built so far, and the report.

    Each builder draws from its own random stream (`rng(name)`), so adding a builder never changes what the
    others make for the same seed.
    """

    seed: int
    today: dt.date
    orgs: dict[str, Organisation] = field(default_factory=dict)
    # staff[org_code][role] -> user
    staff: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: list[tuple[str, str, str]] = field(default_factory=list)  # (username, organisation, roles)
    lines: list[str] = field(default_factory=list)
    password_hash: str = ""

    def rng(self, name: str) -> random.Random:
        return random.Random(f"{self.seed}:{name}")

    def report(self, line: str) -> None:
        self.lines.append(line)


@dataclass(frozen=True)
class OrgSpec:
    code: str
    name: str
    short_name: str
    index_code: str
    kind: str
    parent: str | None
    address: str
    postcode: str
    phone: str
    fax: str
    functions: str
    leader_names: str
    office_name: str = "办公室"


_HOURS = "周一至周五 上午8:30—12:00，下午14:30—18:00（法定节假日除外）"

ORG_SPECS: list[OrgSpec] = [
    OrgSpec(
        CITY, "明川市人民政府", "市政府", "11999900MB0000001A", Organisation.Kind.GOVERNMENT, None,
        "明川市金川区人民大道1号市行政中心", "999001", "0000-6010001", "0000-6010002",
        "执行市人民代表大会及其常务委员会的决议，执行上级国家行政机关的决定和命令；规定行政措施，发布决定和命令；"
        "领导所属各工作部门和下级人民政府的工作；管理本行政区域内的经济、教育、科学、文化、卫生、体育、"
        "城乡建设、财政、民政、公安、民族事务、司法行政、监察、计划生育等行政工作。",
        "市长：周明远；副市长：陈立群、马晓峰、刘海燕", "市人民政府办公室",
    ),
    OrgSpec(
        SCIENCE_BUREAU, "明川市科学技术局", "市科技局", "11999900MB0000102B", Organisation.Kind.DEPARTMENT, CITY,
        "明川市金川区北辰路166号", "999011", "0000-6088732", "0000-6088727",
        "贯彻落实国家、自治区科技创新方针政策和法律法规，拟订全市科技发展规划和政策并组织实施；"
        "统筹推进全市创新体系建设和科技体制改革；组织实施市级科技计划项目，牵头建立科技计划项目管理和监督机制；"
        "负责高新技术企业培育、科技型中小企业评价、技术合同认定登记和科技成果转化工作；"
        "负责科技特派员、科技人才队伍建设和科学技术普及工作；负责科研诚信建设和科技监督评估。",
        "党组书记、局长：王建华；党组成员、副局长：马洪涛、李静；党组成员、二级调研员：杨帆",
    ),
    OrgSpec(
        "mcjyj", "明川市教育局", "市教育局", "11999900MB0000203C", Organisation.Kind.DEPARTMENT, CITY,
        "明川市金川区文昌路28号", "999012", "0000-6031200", "0000-6031201",
        "贯彻执行国家教育方针、政策和法律法规，拟订全市教育发展规划并组织实施；统筹管理全市各级各类教育；"
        "负责学前教育、义务教育、普通高中教育、职业教育的统筹规划和协调管理；负责教师队伍建设和教育督导工作。",
        "党组书记、局长：赵文博；副局长：孙丽娟、何建国",
    ),
    OrgSpec(
        "mcsthjj", "明川市生态环境局", "市生态环境局", "11999900MB0000304D", Organisation.Kind.DEPARTMENT, CITY,
        "明川市金川区清源街9号", "999013", "0000-6052310", "0000-6052311",
        "负责建立健全全市生态环境基本制度，统筹协调重大生态环境问题；负责环境污染防治的监督管理；"
        "负责生态环境准入的监督管理和环境影响评价；负责生态环境监测和执法检查工作。",
        "党组书记、局长：郑海波；副局长：吴晓燕、钱志强",
    ),
    OrgSpec(
        "dhqkjj", "明川市东湖区科学技术局", "东湖区科技局", "11999901MB0001105E", Organisation.Kind.DEPARTMENT,
        SCIENCE_BUREAU, "明川市东湖区湖滨路58号区政务中心", "999100", "0000-6120315", "0000-6120316",
        "贯彻落实国家和省、市科技工作方针政策；组织实施区级科技计划项目；负责辖区高新技术企业培育、"
        "科技型中小企业评价服务、科技特派员管理和科学技术普及工作。",
        "局长：韩志刚；副局长：许文静",
    ),
    OrgSpec(
        "xlxkjj", "西岭县科学技术局", "西岭县科技局", "11999902MB0002106F", Organisation.Kind.DEPARTMENT,
        SCIENCE_BUREAU, "西岭县岭南镇新华街12号", "999200", "0000-6230418", "0000-6230419",
        "负责全县科技发展规划和年度计划的编制与实施；组织农业科技推广和科技特派员服务；"
        "负责科技项目申报、管理和科学技术普及工作。",
        "局长：冯国栋；副局长：邓秀兰",
    ),
    OrgSpec(
        "nxxkjj", "南溪县科学技术局", "南溪县科技局", "11999903MB0003107G", Organisation.Kind.DEPARTMENT,
        SCIENCE_BUREAU, "南溪县溪口镇人民路88号", "999300", "0000-6340521", "0000-6340522",
        "负责全县科技创新政策落实、科技项目管理、科技企业培育、科技成果转化和科学技术普及工作。",
        "局长：曹建军；副局长：彭晓梅",
    ),
]

# The science bureau's accounts are the ones README and the printed summary point people at.
SCIENCE_ACCOUNTS: list[tuple[str, str, str, str]] = [
    ("editor", Role.EDITOR, "张", "晓明"),
    ("reviewer", Role.FIRST_REVIEWER, "李", "文华"),
    ("secrecy", Role.SECRECY_REVIEWER, "刘", "建平"),
    ("approver", Role.APPROVER, "马", "洪涛"),
    ("admin", Role.ADMIN, "王", "丽"),
]
# Every other organisation gets the four working roles too, so its items can pass its own review.
OTHER_ACCOUNTS: list[tuple[str, str]] = [
    ("editor", Role.EDITOR),
    ("reviewer", Role.FIRST_REVIEWER),
    ("secrecy", Role.SECRECY_REVIEWER),
    ("approver", Role.APPROVER),
]


def build_organisations(ctx: DemoContext) -> None:
    """明川市人民政府, three of its departments and the science bureau's three county-level counterparts."""
    for order, spec in enumerate(ORG_SPECS, start=1):
        slug = spec.code
        org = Organisation(
            name=spec.name, short_name=spec.short_name, code=spec.code, index_code=spec.index_code, kind=spec.kind,
            parent=ctx.orgs[spec.parent] if spec.parent else None, sort_order=order * 10,
            office_name=spec.office_name, address=spec.address, postcode=spec.postcode, office_hours=_HOURS,
            phone=spec.phone, fax=spec.fax, email=f"{slug}@mingchuan.example",
            website=f"https://{slug}.mingchuan.example/", functions=spec.functions, leader_names=spec.leader_names,
        )
        org.full_clean()
        org.save()
        ctx.orgs[spec.code] = org
    ctx.report(f"机构 {len(ctx.orgs)} 个：")
    for org in ctx.orgs.values():
        ctx.report(f"  {org.code:<8} {org.index_code}  {'  ' * org.depth}{org.name}")


def _user(ctx: DemoContext, username: str, *, last: str = "", first: str = "", **flags: Any) -> Any:
    # All demo accounts share one password: hash it once, as the deliberately slow hasher would otherwise
    # spend most of the demo's time on thirty identical hashes.
    if not ctx.password_hash:
        ctx.password_hash = make_password(DEMO_PASSWORD)
    user = get_user_model()(
        username=username, last_name=last, first_name=first, email=f"{username}@mingchuan.example",
        password=ctx.password_hash, **flags,
    )
    user.save()
    return user


def build_users(ctx: DemoContext) -> None:
    """One account per role in the science bureau, a city administrator, working roles elsewhere, and root."""
    science = ctx.orgs[SCIENCE_BUREAU]
    ctx.staff[SCIENCE_BUREAU] = {}
    for username, role, last, first in SCIENCE_ACCOUNTS:
        # The administrator configures things in Django admin, which needs the staff flag.
        user = _user(ctx, username, last=last, first=first, is_staff=(role == Role.ADMIN))
        Membership.objects.create(user=user, organisation=science, role=role)
        ctx.staff[SCIENCE_BUREAU][role] = user
        ctx.accounts.append((username, science.name, str(Role(role).label)))
    city = ctx.orgs[CITY]
    cityadmin = _user(ctx, "cityadmin", last="陈", first="立群", is_staff=True)
    Membership.objects.create(user=cityadmin, organisation=city, role=Role.ADMIN)
    ctx.accounts.append(("cityadmin", city.name, "管理员（可查看下级机构）"))
    for code, org in ctx.orgs.items():
        if code == SCIENCE_BUREAU:
            continue
        ctx.staff[code] = {Role.ADMIN: cityadmin} if code == CITY else {}
        for suffix, role in OTHER_ACCOUNTS:
            username = f"{code}-{suffix}"
            user = _user(ctx, username)
            Membership.objects.create(user=user, organisation=org, role=role)
            ctx.staff[code][role] = user
        ctx.accounts.append((f"{code}-editor/-reviewer/-secrecy/-approver", org.name, "信息员/初审/保密审查/签发"))
    _user(ctx, "root", is_staff=True, is_superuser=True)
    ctx.accounts.append(("root", "（全部）", "超级用户"))
    enrol_demo_authenticators()


def enrol_demo_authenticators() -> None:
    """Every demo account whose roles require a second factor gets the published demo authenticator."""
    import base64

    from django_otp.plugins.otp_totp.models import TOTPDevice

    from gongkai.accounts.policy import requires_second_factor

    key = base64.b32decode(DEMO_TOTP_SECRET).hex()
    for user in get_user_model().objects.order_by("pk"):
        if requires_second_factor(user):
            TOTPDevice.objects.create(user=user, name="演示身份验证器", key=key, confirmed=True)


def build(ctx: DemoContext) -> None:
    """The orgs stage of `gongkai demo`."""
    build_organisations(ctx)
    build_users(ctx)
