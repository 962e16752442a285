"""`gongkai reindex`: rebuild the search index from the published objects, with a progress bar."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

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
        for kind, (count, documents) in chosen.items():
            bar = Progress(sys.stdout, count(), kind)
            with transaction.atomic():
                services.clear(kind)
                done = 0
                batch = []
                for doc in documents():
                    batch.append(doc)
                    if len(batch) >= options["batch"]:
                        n = services.bulk_index(batch, batch_size=options["batch"])
                        done += n
                        bar.advance(n)
                        batch = []
                n = services.bulk_index(batch, batch_size=options["batch"])
                done += n
                bar.advance(n)
            took = bar.finish()
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            self.stdout.write(f"{kind}: {done:,} documents in {took:.1f} s")
