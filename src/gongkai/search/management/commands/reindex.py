"""`gongkai reindex`: rebuild the search index from the published objects, with a progress bar.

Through the bulk path of the scale seeder (services.bulk_index → bulk_load): rows straight to the table and the
full-text rows added per batch, one transaction per kind, so searches see the old index until it commits.
Segmenting the texts (most of the CPU) happens in worker processes while this one reads the objects and writes.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import ExitStack
from itertools import islice
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import connections, transaction
from django.utils.translation import gettext, gettext_lazy

from gongkai.core.progress import Progress
from gongkai.search import services
from gongkai.search.registry import sources


def _in_pool(pool: Any, workers: int, docs: Iterable[services.DocumentInput]) -> Iterator[dict[str, Any]]:
    """document_fields of `docs` from the pool, in order, a few chunks ahead. The documents are read here, in
    this thread: Pool.imap would read them in a thread of its own, on another connection, outside the
    transaction that replaces the index."""
    it = iter(docs)
    pending: deque[Any] = deque()
    while True:
        chunk = list(islice(it, CHUNK))
        if chunk:
            pending.append(pool.map_async(services.document_fields, chunk, chunksize=CHUNK // 4))
        if not pending:
            return
        if not chunk or len(pending) > workers:
            yield from pending.popleft().get()


CHUNK = 256


class Command(BaseCommand):
    help = gettext_lazy("重建全文检索索引（Rebuild the search index from every published object）.")  # type: ignore[assignment]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--kind", default="", help="only this kind of document (e.g. item)")
        parser.add_argument("--batch", type=int, default=1000)
        parser.add_argument("--workers", type=int, default=max(1, (os.cpu_count() or 1) - 1),
                            help="processes that segment the texts (0: all in this one); default: cores - 1")

    def handle(self, *args: Any, **options: Any) -> None:
        chosen = {k: v for k, v in sources().items() if not options["kind"] or k == options["kind"]}
        if not chosen:
            self.stderr.write(gettext("没有可索引的类型：%(kind)s") % {"kind": options["kind"]})
            sys.exit(2)
        if options["batch"] < 1 or options["workers"] < 0:
            self.stderr.write(gettext("--batch 必须是正整数，--workers 不能是负数"))
            sys.exit(2)
        with ExitStack() as stack:
            prepare = None
            if options["workers"]:
                # Forked before any transaction, with no connection open to inherit: the workers only segment.
                connections.close_all()
                pool = stack.enter_context(multiprocessing.get_context("fork").Pool(options["workers"]))

                def prepare(docs: Iterable[services.DocumentInput]) -> Iterator[dict[str, Any]]:
                    return _in_pool(pool, options["workers"], docs)

            for kind, (count, documents) in chosen.items():
                bar = Progress(sys.stdout, count(), kind)
                done = 0
                with transaction.atomic():
                    services.clear(kind)
                    for n in services.bulk_index(documents(), batch_size=options["batch"], prepare=prepare):
                        done += n
                        bar.advance(n)
                took = bar.finish()
                self.stdout.write(f"{kind}: {done:,} documents in {took:.1f} s ({done / max(took, 1e-9):,.0f}/s)")
