from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SyndicationConfig(AppConfig):
    name = "gongkai.syndication"
    label = "syndication"
    verbose_name = _("信息报送")

    def ready(self) -> None:
        from django.urls import reverse

        from gongkai.catalog.services import on_item_withdrawn
        from gongkai.review.registry import PrecheckInput, ReviewableAdapter, register

        from . import services
        from .models import Syndication

        def syndication_input(syndication: Syndication, revision: object) -> PrecheckInput:
            snap = revision.snapshot  # type: ignore[attr-defined]
            return PrecheckInput(
                title=snap.get("title") or "", body_html=(snap.get("summary") or "") + "\n" + (snap.get("body") or ""),
            )

        register(
            Syndication,
            ReviewableAdapter(
                organisation=lambda s: s.target_organisation,
                title=services.review_title,
                precheck_input=syndication_input,
                publish=services.accept,
                workspace_url=lambda s: reverse("ws_syndication:organisation", kwargs={"code": s.target_organisation.code}),
            ),
        )
        on_item_withdrawn(services.source_withdrawn)
