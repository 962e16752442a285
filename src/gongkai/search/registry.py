"""Which apps feed the index. An app that has documents to index defines, in a module named
`search_documents`, SEARCH_SOURCES = {kind: (count_function, documents_function)}; the search app finds it
by name (as the admin finds admin.py), so it never imports the apps above it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from importlib import import_module

from django.apps import apps

from .services import DocumentInput

Source = tuple[Callable[[], int], Callable[[], Iterable[DocumentInput]]]


def sources() -> dict[str, Source]:
    found: dict[str, Source] = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.search_documents")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.search_documents":
                raise
            continue
        found.update(getattr(module, "SEARCH_SOURCES", {}))
    return found
