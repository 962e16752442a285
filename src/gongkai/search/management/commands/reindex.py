"""`gongkai reindex`: rebuild the search index from the published objects, with a progress bar."""

from __future__ import annotations

import sys
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction

from gongkai.search import services
from gongkai.search.registry import sources


def progress(out: Any, done: int, total: int, started: float, label: str) -> None:
    """A one-line progress bar on a terminal (a line every 10% otherwise)."""
    elapsed = max(time.monotonic() - started, 1e-9)
    rate = done / elapsed
    share = done / total if total else 1.0
    width = 30
    bar = "#" * int(share * width) + "-" * (width - int(share * width))
    line = f"{label} [{bar}] {done:,}/{total:,} {share:6.1%} {rate:,.0f}/s"
    if getattr(out, "isatty", lambda: False)():
        out.write("\r" + line)
        if done >= total:
            out.write("\n")
        out.flush()
    elif total and (done == total or int(share * 10) != int((done - 1) / total * 10)):
        out.write(line + "\n")


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
            total = count()
            started = time.monotonic()
            with transaction.atomic():
                services.clear(kind)
                done = 0
                batch = []
                for doc in documents():
                    batch.append(doc)
                    if len(batch) >= options["batch"]:
                        done += services.bulk_index(batch, batch_size=options["batch"])
                        batch = []
                        progress(sys.stdout, done, total, started, kind)
                done += services.bulk_index(batch, batch_size=options["batch"])
                progress(sys.stdout, done, max(total, done), started, kind)
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            self.stdout.write(f"{kind}: {done:,} documents in {time.monotonic() - started:.1f} s")
