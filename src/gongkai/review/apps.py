from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    verbose_name = "审核"

    def ready(self) -> None:
        import datetime as dt

        from gongkai.core.periodic import register_periodic

        from .services import publish_due

        # Approved changes to already-public objects wait for their scheduled time.
        register_periodic("review.publish_due", dt.timedelta(minutes=1), publish_due)
