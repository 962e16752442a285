from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "政民互动"

    def ready(self) -> None:
        from gongkai.core.calendar_services import on_calendar_changed
        from gongkai.review.registry import ReviewableAdapter, register

        from . import services
        from .models import Reply

        register(Reply, ReviewableAdapter(publish=services.send_reply))
        on_calendar_changed(services.recompute_due_dates)

        import datetime as dt

        from gongkai.core.periodic import register_periodic

        register_periodic("interaction.reminders", dt.timedelta(hours=6), services.send_due_reminders)
