"""Organisations (机构) in a tree, and the roles staff hold in them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext, gettext_lazy

# Words that addresses use beside organisation codes (/reports/website/ lists the website annual reports).
RESERVED_CODES = frozenset({"website"})


class Organisation(models.Model):
    """机构: a government, one of its departments, or a county-level bureau."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", gettext_lazy("人民政府")
        DEPARTMENT = "department", gettext_lazy("政府部门")
        OFFICE = "office", gettext_lazy("其他机关单位")

    name = models.CharField(gettext_lazy("名称"), max_length=100)
    short_name = models.CharField(gettext_lazy("简称"), max_length=50, blank=True)
    code = models.CharField(
        gettext_lazy("机构代码"),
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[0-9A-Za-z-]+$", gettext_lazy("只能包含字母、数字和连字符。"))],
        help_text=gettext_lazy("在网址、命令和索引号中使用，如 yckjj。"),
    )
    index_code = models.CharField(
        gettext_lazy("索引号机构码"),
        max_length=40,
        validators=[RegexValidator(r"^[0-9A-Z-]+$", gettext_lazy("只能包含数字、大写字母和连字符。"))],
        help_text=gettext_lazy("组织机构代码或统一社会信用代码，用于索引号前缀。"),
    )
    index_pattern = models.CharField(
        gettext_lazy("索引号格式"),
        max_length=80,
        default="{org}/{year}-{serial:05d}",
        help_text=gettext_lazy("可用占位符：{org} 机构码、{year} 年份、{month} 月份、{serial} 流水号。"),
    )
    kind = models.CharField(gettext_lazy("类型"), max_length=20, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=gettext_lazy("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    sort_order = models.PositiveIntegerField(gettext_lazy("排序"), default=0)
    # 政府信息公开工作机构 details, shown in the 公开指南 (条例 art. 12).
    office_name = models.CharField(gettext_lazy("公开工作机构"), max_length=100, blank=True)
    address = models.CharField(gettext_lazy("办公地址"), max_length=200, blank=True)
    postcode = models.CharField(gettext_lazy("邮政编码"), max_length=10, blank=True)
    office_hours = models.CharField(gettext_lazy("办公时间"), max_length=100, blank=True)
    phone = models.CharField(gettext_lazy("联系电话"), max_length=50, blank=True)
    fax = models.CharField(gettext_lazy("传真号码"), max_length=50, blank=True)
    published_numbers = models.TextField(
        gettext_lazy("对外公开的电话号码"), blank=True,
        help_text=gettext_lazy("本机关已对外公开的办公电话、咨询电话、传真等，每行一个（可附说明，如“办公室 0951-1234567”）。"
        "发布前预检不会把这些号码当作个人信息；上面的联系电话和传真号码已自动包括在内。"),
    )
    email = models.EmailField(gettext_lazy("电子邮箱"), blank=True)
    website = models.URLField(gettext_lazy("网站地址"), blank=True)
    functions = models.TextField(gettext_lazy("机关职能"), blank=True)
    leader_names = models.CharField(gettext_lazy("负责人"), max_length=200, blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = gettext_lazy("机构")
        verbose_name_plural = gettext_lazy("机构")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.code in RESERVED_CODES:
            raise ValidationError({"code": gettext("“%(code)s”是网址中的保留字，不能用作机构代码。") % {"code": self.code}})
        if self.pk and self.parent_id:
            ancestor = self.parent
            while ancestor is not None:
                if ancestor.pk == self.pk:
                    raise ValidationError({"parent": gettext("上级机构不能是本机构或其下级机构。")})
                ancestor = ancestor.parent
        try:
            self.format_index_number(2024, 1, 1)
        except (KeyError, ValueError, IndexError) as exc:
            raise ValidationError({"index_pattern": gettext("索引号格式无效：%(reason)s") % {"reason": exc}}) from exc

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        new_path = (self.parent.path if self.parent else "/") + f"{self.pk}/"
        if new_path != self.path:
            old_path = self.path
            self.path = new_path
            super().save(update_fields=["path"])
            if old_path:
                for child in Organisation.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                    child.path = new_path + child.path[len(old_path) :]
                    Organisation.objects.filter(pk=child.pk).update(path=child.path)

    @property
    def depth(self) -> int:
        return self.path.count("/") - 2

    def format_index_number(self, year: int, month: int, serial: int) -> str:
        return self.index_pattern.format(org=self.index_code, year=year, month=f"{month:02d}", serial=serial)

    def get_absolute_url(self) -> str:
        from gongkai.core.urls import reverse_cached

        return reverse_cached("portal:org", kwargs={"code": self.code})


class Role(models.TextChoices):
    """Roles staff hold per organisation."""

    EDITOR = "editor", gettext_lazy("信息员")
    FIRST_REVIEWER = "first_reviewer", gettext_lazy("初审")
    SECRECY_REVIEWER = "secrecy_reviewer", gettext_lazy("保密审查")
    APPROVER = "approver", gettext_lazy("签发")
    ADMIN = "admin", gettext_lazy("管理员")


class Membership(models.Model):
    """A staff user's role in one organisation."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(gettext_lazy("角色"), max_length=30, choices=Role.choices)

    class Meta:
        unique_together = [("user", "organisation", "role")]
        verbose_name = gettext_lazy("岗位")
        verbose_name_plural = gettext_lazy("岗位")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}: {self.get_role_display()}"


class StaffPreference(models.Model):
    """个人设置: a staff user's own choices; today whether the platform mails them (待办提醒、逾期汇总)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_preference")
    receives_mail = models.BooleanField(gettext_lazy("接收邮件提醒"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = gettext_lazy("个人设置")
        verbose_name_plural = gettext_lazy("个人设置")

    def __str__(self) -> str:
        return f"{self.user}"
