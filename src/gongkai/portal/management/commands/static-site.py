"""`gongkai static-site [--out DIR]`: rebuild the static site (静态发布) with a progress bar.

Every page that portal.static_site publishes, rendered and written where it changed, into
GONGKAI_STATIC_SITE_DIR or DIR; then the files no page accounts for any more are removed. Run it once after
turning static publishing on, after an upgrade that changes the templates, and after bulk imports that
bypass the services (seed-scale); changes made through the services are written by the worker as they happen.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from gongkai.catalog import selectors as cat
from gongkai.core.progress import Progress
from gongkai.orgs import selectors as org_sel
from gongkai.portal import static_site


class Command(BaseCommand):
    help = "Rebuilds every static page (static publishing) into GONGKAI_STATIC_SITE_DIR, or into --out DIR."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", metavar="DIR", help="write here instead of GONGKAI_STATIC_SITE_DIR")

    def handle(self, *args: Any, **options: Any) -> None:
        root = Path(options["out"]) if options["out"] else static_site.directory()
        if root is None:
            raise CommandError("Static publishing is off: set GONGKAI_STATIC_SITE_DIR or give --out DIR.")
        root = root.resolve()
        started = time.monotonic()
        with static_site.writer_lock(root):
            pages = [*static_site.site_addresses(), *static_site.report_addresses()]
            for org in org_sel.organisations_in_order():
                pages += static_site.organisation_addresses(org)
            pages = list(dict.fromkeys(pages))  # a report's organisation page comes once per year
            total = len(pages) + cat.live_items().count()
            # The stream itself: OutputWrapper would end each redraw of the bar with a line break.
            progress = Progress(getattr(self.stdout, "_out", sys.stdout), total, "static-site")
            items = (static_site.item_address(pk) for pk in cat.live_item_ids())
            outcome = static_site.publish(pages, root, progress=progress)
            outcome = static_site.publish(items, root, outcome, progress=progress)
            progress.finish()
            removed = static_site.remove_unaccounted(root, outcome.kept)
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{outcome.rendered:,} pages in {seconds:.1f} s ({outcome.rendered / max(seconds, 1e-9):,.0f}/s): "
            f"{len(outcome.written):,} written, {outcome.unchanged:,} unchanged, "
            f"{len(outcome.removed) + len(removed):,} removed, into {root}"
        )
