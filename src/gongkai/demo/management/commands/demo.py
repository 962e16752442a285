"""`gongkai demo`: build a realistic, fictional demo city (明川市) in an empty database."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from gongkai.catalog.selectors import STAFF_STATES, staff_items_in_state
from gongkai.core.mail import suppressed
from gongkai.demo import applications as applications_demo
from gongkai.demo import catalog as catalog_demo
from gongkai.demo import city as orgs_demo
from gongkai.demo import inspection as inspection_demo
from gongkai.demo import interaction as interaction_demo
from gongkai.demo import reports as reports_demo
from gongkai.demo import sites as sites_demo
from gongkai.demo import visits as visits_demo
from gongkai.orgs.models import Organisation

# The stages, in order; each runs in its own transaction. A later issue adds its builder with one line here.
BUILDERS: list[tuple[str, Callable[[orgs_demo.DemoContext], None]]] = [
    ("机构与用户", orgs_demo.build),
    ("栏目、公开信息与政策解读", catalog_demo.build),
    ("权责清单", catalog_demo.build_duty_lists),
    ("网站（按域名分站）", sites_demo.build),
    ("信息报送（部门动态报送到市政府门户网站）", sites_demo.build_syndication),
    ("依申请公开", applications_demo.build),
    ("政民互动", interaction_demo.build),
    ("网站自查（网站规范与故意疏于维护的县局）", inspection_demo.build),
    ("访问统计（模拟的每日汇总）", visits_demo.build),
    ("年度报告", reports_demo.build),
    ("政府网站工作年度报表（专题专栏、人工填报、季度自查记录）", reports_demo.build_website),
]


class Command(BaseCommand):
    help = "生成演示数据：虚构的明川市及其科技局等机构、栏目、公开信息和各岗位用户。Builds a fictional demo city."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2024, help="随机种子（默认 2024）；同一种子同一天生成相同数据。")

    def handle(self, *args: Any, **options: Any) -> None:
        if Organisation.objects.exists():
            # Wiping an existing database is never what an operator wants from a demo command: refuse instead.
            raise CommandError(
                "数据库中已有机构，演示数据只能在空数据库中生成。请换用一个新的数据目录，例如：\n"
                "  GONGKAI_DATA_DIR=/tmp/gongkai-demo gongkai migrate && GONGKAI_DATA_DIR=/tmp/gongkai-demo gongkai demo"
            )
        ctx = orgs_demo.DemoContext(seed=options["seed"], today=timezone.localdate())
        started = time.monotonic()
        for label, builder in BUILDERS:
            stage_start = time.monotonic()
            with transaction.atomic(), suppressed():  # a made-up history mails nobody (review steps, returns)
                builder(ctx)
            self.stdout.write(f"✓ {label}（{time.monotonic() - stage_start:.1f} 秒）")
        self.stdout.write("")
        for line in ctx.lines:
            self.stdout.write(line)
        root = get_user_model().objects.get(username="root")
        self.stdout.write("公开信息（按状态）：")
        for state, name in STAFF_STATES:
            self.stdout.write(f"  {name}：{staff_items_in_state(root, state).count()}")
        self.stdout.write("")
        self.stdout.write(f"用户（密码均为 {orgs_demo.DEMO_PASSWORD}）：")
        for username, org, roles in ctx.accounts:
            self.stdout.write(f"  {username:<44} {org}  {roles}")
        self.stdout.write("")
        self.stdout.write("审核、签发和管理岗位（以及 root）登录时还须输入动态验证码：在身份验证器应用中添加密钥 "
                          f"{orgs_demo.DEMO_TOTP_SECRET}（基于时间，6位，30秒；所有演示账号共用），"
                          "或运行 gongkai demo-code 显示当前验证码。editor 等信息员只需密码。")
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示数据已生成，用时 {time.monotonic() - started:.1f} 秒。"))
        self.stdout.write("打开 http://127.0.0.1:8000/ （门户网站）和 http://127.0.0.1:8000/workspace/ （工作台），"
                          "Django 管理后台在 /admin/。")
