from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from gongkai.core.mail import retry_failed
from gongkai.core.masking import mask_output
from gongkai.core.models import OutgoingMail
from gongkai.core.services import record_event

from .admin_scoping import OrganisationScopedAdmin
from .models import Membership, Organisation


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_lookup = "pk"
    list_display = ["name", "code", "index_code", "kind", "parent"]
    search_fields = ["name", "code", "index_code"]
    list_filter = ["kind"]
    inlines = [MembershipInline]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An administrator may add organisations below their own (the parent field offers only those) but
        # not move one: the top of their scope has a parent they may not pick.
        if obj is not None and not request.user.is_superuser:
            return ["parent"]
        return []


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]


@admin.register(OutgoingMail)
class OutgoingMailAdmin(OrganisationScopedAdmin):
    """Mail waiting, sent or failed (core.mail), for the organisations an administrator configures; read only,
    with personal data and tracking secrets masked, and a retry for failed mail."""

    list_display = ["created_at", "kind", "masked_recipients", "masked_subject", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    readonly_fields = fields = ("created_at", "kind", "masked_recipients", "masked_subject", "masked_body", "status",
                                "attempts", "next_attempt_at", "sent_at", "last_error")
    actions = ["retry"]

    @admin.display(description="收件人")
    def masked_recipients(self, obj: OutgoingMail) -> str:
        return mask_output(", ".join(obj.recipients))

    @admin.display(description="主题")
    def masked_subject(self, obj: OutgoingMail) -> str:
        return mask_output(obj.subject)

    @admin.display(description="正文")
    def masked_body(self, obj: OutgoingMail) -> str:
        return mask_output(obj.body)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description="重新发送所选的发送失败邮件")
    def retry(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = retry_failed(queryset.values_list("pk", flat=True))
        record_event(actor=request.user, action="core.mail_retried", object_type="core.outgoingmail",
                     summary=f"{count} 封")
        self.message_user(request, f"已重新排队 {count} 封邮件。")
