import datetime as dt

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "公开目录"

    def ready(self) -> None:
        from gongkai.core.periodic import register_periodic
        from gongkai.review.registry import ReviewableAdapter, register

        from . import services
        from .models import DutyListVersion, Item

        register_periodic("catalog.unused_body_images", dt.timedelta(hours=12), services.delete_unused_body_images)

        register(Item, ReviewableAdapter(publish=services.publish_revision, signoff_problems=services.signoff_problems))
        register(DutyListVersion, ReviewableAdapter(publish=services.publish_duty_version))
