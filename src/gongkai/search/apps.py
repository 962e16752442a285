from typing import Any

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy


def _register_sql_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    """SQLite: gongkai_grams(), which the n-gram index's triggers call (migration 0004)."""
    if connection.vendor == "sqlite":
        from .services import stored_grams

        connection.connection.create_function("gongkai_grams", 4, stored_grams, deterministic=True)


class SearchConfig(AppConfig):
    name = "gongkai.search"
    label = "search"
    verbose_name = gettext_lazy("全文检索")

    def ready(self) -> None:
        connection_created.connect(_register_sql_functions, dispatch_uid="gongkai.search.sql_functions")
