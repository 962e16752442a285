from django.apps import AppConfig


class InteractionConfig(AppConfig):
    name = "gongkai.interaction"
    label = "interaction"
    verbose_name = "政民互动"

    def ready(self) -> None:
        from django.urls import reverse
        from django.utils.html import escape, linebreaks

        from gongkai.core.calendar_services import on_calendar_changed
        from gongkai.core.personal_data import mask_text
        from gongkai.review.registry import PrecheckInput, ReviewableAdapter, register

        from . import services
        from .models import Reply

        def reply_input(reply: Reply, revision: object) -> PrecheckInput:
            snap = revision.snapshot  # type: ignore[attr-defined]
            return PrecheckInput(title=reply.letter.subject, body_html=linebreaks(escape(snap.get("body") or "")))

        register(
            Reply,
            ReviewableAdapter(
                organisation=lambda reply: reply.letter.organisation,
                title=lambda reply: f"答复来信 {reply.letter.tracking_number}：{mask_text(reply.letter.subject)}",
                precheck_input=reply_input,
                publish=services.send_reply,
                workspace_url=lambda reply: reverse("ws_interaction:letter", kwargs={"pk": reply.letter_id}),
            ),
        )
        on_calendar_changed(services.recompute_due_dates)

        import datetime as dt

        from gongkai.core.periodic import register_periodic

        register_periodic("interaction.reminders", dt.timedelta(hours=6), services.send_due_reminders)
