"""`gongkai makemessages`: Django's makemessages over the gongkai package, wherever it is run from.

Django's command walks the current directory; run from a checkout's root it would also collect the tests, the
benchmarks and the virtualenv's packages. This one walks the package (or ``--source``), skipping the made-up demo
data, so the catalogue under ``LOCALE_PATHS`` (``src/gongkai/locale/``) holds exactly the interface's text.
Needs GNU gettext (Debian package ``gettext``).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from django.core.management.base import CommandParser
from django.core.management.commands import makemessages

import gongkai

PACKAGE = Path(gongkai.__file__).resolve().parent


class Command(makemessages.Command):
    help = makemessages.Command.help + " Walks the gongkai package, not the current directory."

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--source", type=Path, default=PACKAGE,
                            help="the package directory to collect from (default: the installed gongkai)")

    def handle(self, *args: Any, **options: Any) -> None:
        source: Path = options.pop("source").resolve()
        # Sample data and schema history are not interface text; a catalogue is not built from itself.
        options["ignore_patterns"] = [*options["ignore_patterns"], "demo", "migrations", "locale", "static"]
        # File names without line numbers: a catalogue that does not change with every edit above a string.
        if options.get("add_location") is None and not options.get("no_location"):
            options["add_location"] = "file"
        # The walk finds source/locale and files everything under source into it.
        (source / "locale").mkdir(exist_ok=True)
        with contextlib.chdir(source):
            super().handle(*args, **options)
