from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "gongkai.syndication"
    label = "syndication"
    verbose_name = _("信息报送")

    def ready(self) -> None:
        from gongkai.catalog.services import on_item_withdrawn
        from gongkai.review.registry import ReviewableAdapter, register

        from . import services
        from .models import Syndication

        register(Syndication, ReviewableAdapter(publish=services.accept))
        on_item_withdrawn(services.source_withdrawn)
