"""`gongkai seed-scale --items N --orgs M`: a synthetic province for scale tests and benchmarks (gongkai.demo.scale).

For test databases only: it refuses to run on a database that already holds items unless --append.
"""

from __future__ import annotations

import os
import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from gongkai.catalog.models import Item
from gongkai.core.progress import Progress
from gongkai.demo import scale


class Command(BaseCommand):
    help = "生成规模测试用的合成省级数据（Generate a synthetic province for scale tests）."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--items", type=int, default=10_000)
        parser.add_argument("--orgs", type=int, default=200)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=2000)
        parser.add_argument("--workers", type=int, default=None,
                            help="processes generating (on PostgreSQL also writing) batches; 0: none. "
                                 "Default: one per core, less one for the writer on SQLite")
        parser.add_argument("--append", action="store_true", help="add items to an existing synthetic province")

    def handle(self, *args: Any, **options: Any) -> None:
        cores = os.cpu_count() or 1
        if options["workers"] is None:
            options["workers"] = cores if connection.vendor == "postgresql" else max(1, cores - 1)
        if options["items"] < 0 or options["orgs"] < 1 or options["batch"] < 1 or options["workers"] < 0:
            raise CommandError("--items must be ≥ 0, --orgs and --batch ≥ 1, --workers ≥ 0")
        if Item.objects.exists() and not options["append"]:
            raise CommandError("数据库中已有公开信息；规模数据只用于空的测试库（或加 --append）。")
        orgs = scale.province(options["orgs"], append=options["append"])
        total = options["items"]
        plan = scale.make_plan(orgs, seed=options["seed"], batch_size=options["batch"], total=total)
        self.stdout.write(f"{len(orgs)} organisations, {len(plan.columns)} columns; writing {total:,} items")
        bar = Progress(sys.stdout, total, "items")
        generating = writing = 0.0
        started = time.monotonic()
        with scale.loading(fresh=not options["append"]):
            for done in scale.load(plan, total, options["workers"]):
                generating += done.generating
                writing += done.writing
                bar.advance(done.size)
            loaded = bar.finish()
            self.stdout.write("finishing (full-text merge) ..." if connection.vendor == "sqlite" else "finishing ...")
            finishing = time.process_time()
        scale.finish()
        took = time.monotonic() - started
        finishing = time.process_time() - finishing
        # CPU per part says which one bounds the rate (they overlap when --workers ≥ 1).
        self.stdout.write(
            f"{total:,} items in {took:.1f} s ({total / max(took, 1e-9):,.0f} items/s; loading {loaded:.1f} s, "
            f"finishing {took - loaded:.1f} s); CPU: generating {generating:.1f} s, writing "
            f"{writing:.1f} s, finishing {finishing:.1f} s (client side: on SQLite that includes the database's "
            "work, on PostgreSQL the server's is apart)"
        )
