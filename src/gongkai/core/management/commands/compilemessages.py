"""`gongkai compilemessages`: Django's compilemessages for the gongkai package's catalogues (``LOCALE_PATHS``).

Django's command also walks the current directory for ``locale`` folders, which from a checkout's root includes
every package in the virtualenv; this one walks the package only. Needs GNU gettext (``msgfmt``).
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.management.commands import compilemessages

from .makemessages import PACKAGE


class Command(compilemessages.Command):
    help = compilemessages.Command.help + " Compiles the gongkai package's catalogues."

    def handle(self, *args: Any, **options: Any) -> None:
        options["ignore_patterns"] = [*options["ignore_patterns"], "static", "templates"]
        with contextlib.chdir(PACKAGE):
            super().handle(*args, **options)
