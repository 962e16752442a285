import datetime as dt

from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "gongkai.catalog"
    label = "catalog"
    verbose_name = "公开目录"

    def ready(self) -> None:
        from django.urls import reverse

        from gongkai.core.files import ALLOWED_TYPES
        from gongkai.core.periodic import register_periodic
        from gongkai.review.prechecks import AttachmentText
        from gongkai.review.registry import PrecheckInput, ReviewableAdapter, register

        from . import selectors, services
        from .models import Attachment, DutyListVersion, Item

        def item_input(item: Item, revision: object) -> PrecheckInput:
            snap = revision.snapshot  # type: ignore[attr-defined]
            files = Attachment.objects.filter(
                pk__in=snap.get("attachment_ids", []), purpose=Attachment.Purpose.FILE
            ).order_by("id")
            return PrecheckInput(
                title=snap.get("title") or "",
                summary=snap.get("summary") or "",
                body_html=snap.get("body") or "",
                attachments=tuple(
                    AttachmentText(
                        a.pk, a.original_name, a.extraction,
                        type_label=ALLOWED_TYPES[a.extension].label if a.extension in ALLOWED_TYPES else a.extension,
                    )
                    for a in files
                ),
            )

        register_periodic("catalog.unused_body_images", dt.timedelta(hours=12), services.delete_unused_body_images)

        register(
            Item,
            ReviewableAdapter(
                organisation=lambda item: item.organisation,
                title=lambda item: selectors.working_copy(item)["title"],
                precheck_input=item_input,
                publish=services.publish_revision,
                workspace_url=lambda item: reverse("workspace:item", kwargs={"pk": item.pk}),
                signoff_problems=services.signoff_problems,
                link_checker=selectors.is_public_url,
            ),
        )

        def duty_input(version: DutyListVersion, revision: object) -> PrecheckInput:
            snap = revision.snapshot  # type: ignore[attr-defined]
            rows = [" ".join(str(v) for v in e.values()) for e in snap.get("entries", [])]
            return PrecheckInput(title=str(version), body_html="\n".join(f"<p>{r}</p>" for r in rows))

        register(
            DutyListVersion,
            ReviewableAdapter(
                organisation=lambda v: v.duty_list.organisation,
                title=str,
                precheck_input=duty_input,
                publish=services.publish_duty_version,
                workspace_url=lambda v: reverse("workspace:duty_version", kwargs={"pk": v.pk}),
                link_checker=selectors.is_public_url,
            ),
        )
