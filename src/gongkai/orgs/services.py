"""Writes about organisations and their staff: granting and revoking roles (授予、撤销岗位), and a staff user's
own settings (个人设置).

Granting a role is itself a permission (`selectors.grantable_roles`): nobody grants a role they could not
exercise, and administering an organisation above grants nothing below. Every grant and revocation is recorded
in the audit trail under the organisation and told to its administrators by mail, so an administrator learns of
a change made by anyone else, a superuser included.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongkai.core.mail import queue_mail
from gongkai.core.services import record_event

from .models import Membership, Organisation, Role, StaffPreference
from .selectors import administrators_of, can_grant, can_revoke


def _label(user: Any) -> str:
    return str(user.get_username()) if getattr(user, "is_authenticated", False) else _("系统")


def _tell_administrators(org: Organisation, summary: str) -> None:
    when = timezone.localtime().strftime("%Y-%m-%d %H:%M")
    body = _(
        "%(org)s岗位变更：%(summary)s（%(when)s）。\n\n"
        "岗位决定谁能起草、审核和签发本机构的信息。如这一变更未经本机构同意，请立即核实并在管理后台撤销，"
        "并查看工作台“岗位与授权”中的变更记录。"
    ) % {"org": org.name, "summary": summary, "when": when}
    queue_mail(
        [a.email for a in administrators_of(org)], _("【岗位变更】%(org)s") % {"org": org.name}, body,
        kind="orgs.role_changed", organisation_id=org.pk,
    )


def grant_role(actor: Any, user: Any, org: Organisation, role: str) -> Membership:
    """Give `user` `role` in `org`; PermissionDenied unless `actor` may grant it there."""
    if role not in Role.values:
        raise ValidationError({"role": _("未知的岗位。")})
    if not can_grant(actor, org, role):
        raise PermissionDenied(_("您不能在%(org)s授予“%(role)s”岗位：只有本机构的管理员可以授权，且只能授予本人在本机构可以行使的岗位。")
                               % {"org": org.name, "role": Role(role).label})
    if not getattr(user, "is_active", False):
        raise ValidationError({"user": _("该账号已停用，不能授予岗位。")})
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(user=user, organisation=org, role=role)
        if not created:
            raise ValidationError(_("%(user)s已有“%(role)s”岗位。") % {"user": _label(user), "role": Role(role).label})
        summary = _("%(actor)s授予%(user)s“%(role)s”岗位") % {
            "actor": _label(actor), "user": _label(user), "role": Role(role).label,
        }
        record_event(
            actor=actor, action="orgs.role_granted", obj=membership, organisation_id=org.pk, summary=summary,
            data={"user": user.pk, "role": role},
        )
        _tell_administrators(org, summary)
    return membership


def revoke_role(actor: Any, membership: Membership) -> None:
    """Take a role away; PermissionDenied unless `actor` administers the membership's organisation."""
    if not can_revoke(actor, membership):
        raise PermissionDenied(_("只有本机构的管理员可以撤销本机构的岗位。"))
    org, user, role = membership.organisation, membership.user, membership.role
    with transaction.atomic():
        deleted, _rows = Membership.objects.filter(pk=membership.pk).delete()
        if not deleted:
            raise ValidationError(_("该岗位已被撤销。"))
        summary = _("%(actor)s撤销%(user)s的“%(role)s”岗位") % {
            "actor": _label(actor), "user": _label(user), "role": Role(role).label,
        }
        record_event(
            actor=actor, action="orgs.role_revoked", object_type="orgs.membership", object_id=membership.pk,
            organisation_id=org.pk, summary=summary, data={"user": user.pk, "role": role},
        )
        _tell_administrators(org, summary)


def set_receives_mail(user: Any, receives_mail: bool) -> StaffPreference:
    """A staff user turns the platform's mail to them on or off (their own setting only)."""
    if not getattr(user, "is_authenticated", False):
        raise PermissionDenied(_("请先登录。"))
    with transaction.atomic():
        preference, _created = StaffPreference.objects.select_for_update().get_or_create(user=user)
        preference.receives_mail = bool(receives_mail)
        preference.save(update_fields=["receives_mail", "updated_at"])
        record_event(
            actor=user, action="orgs.mail_preference", obj=preference,
            summary=_("开启邮件提醒") if receives_mail else _("关闭邮件提醒"),
        )
    return preference
