"""`gongkai static-site [--out DIR]`: rebuild the static site (静态发布) with a progress bar.

Every page of every site that portal.static_site publishes, rendered and written where it changed, into
GONGKAI_STATIC_SITE_DIR or DIR (one directory per site's host name, its other names linked to it); then the
files no page accounts for any more are removed. Run it once after
turning static publishing on, after an upgrade that changes the templates, and after bulk imports that
bypass the services (seed-scale); changes made through the services are written by the worker as they happen.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

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
        # The stream itself: OutputWrapper would end each redraw of the bar with a line break.
        outcome, removed = static_site.rebuild(root, getattr(self.stdout, "_out", sys.stdout))
        seconds = time.monotonic() - started
        self.stdout.write(
            f"{outcome.rendered:,} pages in {seconds:.1f} s ({outcome.rendered / max(seconds, 1e-9):,.0f}/s): "
            f"{len(outcome.written):,} written, {outcome.unchanged:,} unchanged, "
            f"{len(outcome.removed) + len(removed):,} removed, into {root} "
            f"({len(static_site.published_sites()):,} sites)"
        )
