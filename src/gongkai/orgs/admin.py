from typing import Any

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext, gettext_lazy

from gongkai.core.mail import retry_failed
from gongkai.core.masking import mask_output
from gongkai.core.models import OutgoingMail
from gongkai.core.services import record_event

from . import services
from .admin_scoping import OrganisationScopedAdmin
from .models import Membership, Organisation, Role
from .selectors import can_grant, can_revoke


class MembershipInline(admin.TabularInline):
    """Who holds which role here, read only: roles are granted and revoked under 岗位 (MembershipAdmin), where
    each change goes through orgs.services (permission, audit trail, notice to the administrators)."""

    model = Membership
    extra = 0
    fields = readonly_fields = ("user", "role")

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return True  # shown inside an organisation the user may already see

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(OrganisationScopedAdmin):
    organisation_lookup = "pk"
    list_display = ["name", "code", "index_code", "kind", "parent"]
    search_fields = ["name", "code", "index_code"]
    list_filter = ["kind"]
    inlines = [MembershipInline]

    def organisation_id_of(self, obj: Any) -> int | None:
        # A new organisation belongs to the scope of its parent until it exists.
        return obj.pk or obj.parent_id

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        # An administrator may add organisations below their own (the parent field offers only those) but
        # not move one: the top of their scope has a parent they may not pick.
        if obj is not None and not request.user.is_superuser:
            return ["parent"]
        return []


class GrantForm(forms.ModelForm):
    """授予岗位: who, where, which role; refused here (not with a 403 page) when the actor may not grant it."""

    actor: Any = None

    class Meta:
        model = Membership
        fields = ["user", "organisation", "role"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if "user" in self.fields:
            self.fields["user"].queryset = get_user_model().objects.filter(is_active=True).order_by("username")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        org, role = data.get("organisation"), data.get("role")
        if org is not None and role and not can_grant(self.actor, org, role):
            raise ValidationError(
                gettext("您不能在%(org)s授予“%(role)s”岗位：只有本机构的管理员可以授权，且只能授予本人在本机构可以行使的岗位。"),
                params={"org": org.name, "role": Role(role).label},
            )
        return data


@admin.register(Membership)
class MembershipAdmin(OrganisationScopedAdmin):
    """岗位: granted and revoked only, never edited in place, each through orgs.services."""

    list_display = ["user", "organisation", "role"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__last_name", "organisation__name"]
    form = GrantForm

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change=change, **kwargs)
        return type("BoundGrantForm", (form,), {"actor": request.user})

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a different role is a revocation and a grant, each audited

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None:
            return can_revoke(request.user, obj)
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            raise PermissionDenied
        obj.pk = services.grant_role(request.user, obj.user, obj.organisation, obj.role).pk

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        services.revoke_role(request.user, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        rows = list(queryset.select_related("organisation", "user"))
        if not all(can_revoke(request.user, m) for m in rows):
            raise PermissionDenied(gettext("只有本机构的管理员可以撤销本机构的岗位。"))
        for membership in rows:
            services.revoke_role(request.user, membership)


@admin.register(OutgoingMail)
class OutgoingMailAdmin(OrganisationScopedAdmin):
    """Mail waiting, sent or failed (core.mail), for the organisations an administrator configures; read only,
    with personal data and tracking secrets masked, and a retry for failed mail."""

    list_display = ["created_at", "kind", "masked_recipients", "masked_subject", "status", "attempts", "last_error"]
    list_filter = ["status", "kind"]
    readonly_fields = fields = ("created_at", "kind", "masked_recipients", "masked_subject", "masked_body", "status",
                                "attempts", "next_attempt_at", "sent_at", "last_error")
    actions = ["retry"]

    @admin.display(description=gettext_lazy("收件人"))
    def masked_recipients(self, obj: OutgoingMail) -> str:
        return mask_output(", ".join(obj.recipients))

    @admin.display(description=gettext_lazy("主题"))
    def masked_subject(self, obj: OutgoingMail) -> str:
        return mask_output(obj.subject)

    @admin.display(description=gettext_lazy("正文"))
    def masked_body(self, obj: OutgoingMail) -> str:
        return mask_output(obj.body)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.action(description=gettext_lazy("重新发送所选的发送失败邮件"))
    def retry(self, request: HttpRequest, queryset: QuerySet[OutgoingMail]) -> None:
        count = retry_failed(queryset.values_list("pk", flat=True))
        record_event(actor=request.user, action="core.mail_retried", object_type="core.outgoingmail",
                     summary=gettext("%(count)s 封") % {"count": count})
        self.message_user(request, gettext("已重新排队 %(count)s 封邮件。") % {"count": count})
