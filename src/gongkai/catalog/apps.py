from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "公开目录"

    def ready(self) -> None:
        from gongkai.review.registry import ReviewableAdapter, register

        from . import services
        from .models import DutyListVersion, Item

        register(Item, ReviewableAdapter(publish=services.publish_revision, signoff_problems=services.signoff_problems))
        register(DutyListVersion, ReviewableAdapter(publish=services.publish_duty_version))
