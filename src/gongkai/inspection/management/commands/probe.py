"""`gongkai probe [--once] [--interval SECONDS] [--rounds N] [--base URL]`: availability probes of gongkai's own
public pages (站点可用性监测), stored for the inspection's 7-day failure share.

Only loopback addresses or the configured GONGKAI_SITE_URL may be probed; the interval is at least 60 seconds
and the number of rounds is bounded.
"""

from __future__ import annotations

import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.utils.translation import gettext, gettext_lazy

from gongkai.inspection import services
from gongkai.inspection.evaluate import probe_failed

MIN_INTERVAL = 60
MAX_ROUNDS = 100_000


class Command(BaseCommand):
    help = gettext_lazy("监测本站公开页面的可用性并记录（每次访问的时间、地址、状态和用时）。")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help=gettext("只监测一轮"))
        parser.add_argument("--interval", type=int, default=1200, help=gettext("两轮之间的秒数（至少60，默认1200即每天72轮）"))
        parser.add_argument("--rounds", type=int, default=MAX_ROUNDS, help=gettext("最多监测轮数"))
        parser.add_argument("--base", default="", help=gettext("站点地址（默认 GONGKAI_SITE_URL）；只能是本机或配置的站点地址"))

    def handle(self, *args: Any, **options: Any) -> None:
        base = options["base"] or settings.SITE_URL
        if not services.probe_base_allowed(base):
            self.stderr.write(gettext("只能监测本机（回环地址）或配置的站点地址 %(site_url)s，不能监测 %(base)s") % {"site_url": settings.SITE_URL, "base": base})
            sys.exit(2)
        interval = options["interval"]
        if interval < MIN_INTERVAL:
            self.stderr.write(gettext("间隔至少 %(seconds)s 秒。") % {"seconds": MIN_INTERVAL})
            sys.exit(2)
        rounds = 1 if options["once"] else max(1, min(options["rounds"], MAX_ROUNDS))
        for n in range(rounds):
            probes = services.probe_round(base)
            failed = sum(1 for p in probes if probe_failed(p))
            self.stdout.write(gettext("第 %(round)s 轮：访问 %(count)s 个页面，失败或超过15秒 %(failed)s 个") % {"round": n + 1, "count": len(probes), "failed": failed})
            self.stdout.flush()
            if n + 1 < rounds:
                time.sleep(interval)
