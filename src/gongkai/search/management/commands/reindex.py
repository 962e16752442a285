"""`gongkai reindex`: rebuild the search index from the published objects, with a progress bar.

Through the bulk path of the scale seeder (services.bulk_index → bulk_load): rows straight to the table, the
full-text rows added per batch, in one transaction per kind, so searches see the old index until it commits."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction

from gongkai.core.progress import Progress
from gongkai.search import services
from gongkai.search.registry import sources


class Command(BaseCommand):
    help = "重建全文检索索引（Rebuild the search index from every published object）."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", default="", help="only this kind of document (e.g. item)")
        parser.add_argument("--batch", type=int, default=1000)

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = {k: v for k, v in sources().items() if not options["kind"] or k == options["kind"]}
        if not chosen:
            self.stderr.write(f"没有可索引的类型：{options['kind']}")
            sys.exit(2)
        if options["batch"] < 1:
            self.stderr.write("--batch 必须是正整数")
            sys.exit(2)
        for kind, (count, documents) in chosen.items():
            bar = Progress(sys.stdout, count(), kind)
            done = 0
            with transaction.atomic():
                services.clear(kind)
                for n in services.bulk_index(documents(), batch_size=options["batch"]):
                    done += n
                    bar.advance(n)
            took = bar.finish()
            self.stdout.write(f"{kind}: {done:,} documents in {took:.1f} s ({done / max(took, 1e-9):,.0f}/s)")
