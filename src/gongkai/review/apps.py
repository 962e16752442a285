from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "gongkai.review"
    label = "review"
    verbose_name = "审核"

    def ready(self) -> None:
        import datetime as dt

        from gongkai.core.periodic import register_periodic

        from .notify import overdue_digest
        from .services import publish_due

        # Approved changes to already-public objects wait for their scheduled time.
        register_periodic("review.publish_due", dt.timedelta(minutes=1), publish_due)
        # Each reviewer with tasks waiting too long gets one mail a day listing them.
        register_periodic("review.overdue_digest", dt.timedelta(days=1), overdue_digest)
