"""Sites (网站): the public websites one platform serves, each under its own host names (政府网站集约化).

A site belongs to an organisation and, where it hosts them, to the organisations below it that have no site of
their own (a county portal hosts its townships). Its page conventions (网站标识码, ICP and 公安 filings, the
党政机关 mark) are the site's, not the organisation's: they describe a website.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Column
from gongkai.orgs.models import Organisation

HOST_RE = r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
host_validator = RegexValidator(HOST_RE, _("域名只能包含小写字母、数字、连字符和点，如 kjj.example.gov.cn。"))


def host_of(url: str) -> str:
    """The host name of an address, lower case, without port."""
    return (urlsplit(url).hostname or "").lower()


def contrast_with_white(colour: str) -> float:
    """WCAG contrast ratio of white text on `colour` (#rrggbb)."""
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(int(colour[i:i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * red + 0.7152 * green + 0.0722 * blue
    return 1.05 / (luminance + 0.05)


class Site(models.Model):
    """网站: one public website, answered on its host names."""

    class Layout(models.TextChoices):
        PORTAL = "portal", _("门户首页：各类最新信息与机构导航")
        COLUMNS = "columns", _("栏目首页：本单位各栏目最新信息")

    organisation = models.OneToOneField(
        Organisation, on_delete=models.PROTECT, related_name="site", verbose_name=_("主办单位")
    )
    name = models.CharField(_("网站名称"), max_length=100, help_text=_("如：明川市科学技术局网站。"))
    url = models.URLField(
        _("首页网址"), blank=True,
        help_text=_("网站的规范地址（协议和域名，可带端口），如 https://kjj.example.gov.cn。留空表示尚无独立域名，"
                    "只在平台主站的 /org/机构代码/ 下访问。"),
    )
    aliases = models.TextField(
        _("其他域名"), blank=True, help_text=_("同样指向本网站的其他域名，每行一个（不带协议和端口）。"),
    )
    includes_subtree = models.BooleanField(
        _("承载下级机构"), default=True,
        help_text=_("下级机构没有自己的网站时，其页面属于本网站（如县政府门户承载乡镇）。"),
    )
    is_main = models.BooleanField(
        _("平台主站"), default=False,
        help_text=_("平台的主站：GONGKAI_SITE_URL 所指的地址也由它应答，各机构的 /org/机构代码/ 地址都在它上面可用。"
                    "全平台只能有一个。"),
    )
    platform_search = models.BooleanField(
        _("全平台搜索"), default=False,
        help_text=_("本网站的搜索覆盖全平台（可按网站、机构筛选）；否则只搜索本网站的信息。"),
    )
    home_layout = models.CharField(_("首页布局"), max_length=20, choices=Layout.choices, default=Layout.COLUMNS)
    navigation = models.ManyToManyField(
        Column, blank=True, related_name="+", verbose_name=_("导航栏目"),
        help_text=_("显示在网站主导航中的栏目（按栏目排序），须是本网站所属机构的栏目。"),
    )
    logo = models.CharField(
        _("标志图片"), max_length=200, blank=True, help_text=_("网站标志的地址（站内静态文件路径或网址）；留空则只显示网站名称。"),
    )
    colour = models.CharField(
        _("主色"), max_length=7, blank=True,
        validators=[RegexValidator(r"^#[0-9a-fA-F]{6}$", _("请填写 # 加六位十六进制数，如 #9f1d20。"))],
        help_text=_("页头和导航的颜色，如 #9f1d20；留空用平台默认颜色。"),
    )
    # Page conventions (网站规范), shown in the footer of every page of the site.
    site_code = models.CharField(
        _("政府网站标识码"), max_length=20, blank=True,
        validators=[RegexValidator(r"^[0-9A-Za-z]+$", _("只能包含字母和数字。"))],
        help_text=_("全国政府网站信息报送系统分配的网站标识码。"),
    )
    icp_number = models.CharField(_("ICP备案编号"), max_length=60, blank=True, help_text=_("如：明ICP备00000000号。"))
    police_record_number = models.CharField(
        _("公安机关备案号"), max_length=30, blank=True,
        validators=[RegexValidator(r"^[0-9]+$", _("只填写备案号中的数字。"))],
        help_text=_("只填数字，如 99000002000001；页面显示为“公网安备……号”。"),
    )
    police_record_region = models.CharField(_("公安备案地区简称"), max_length=10, blank=True, help_text=_("如：明。"))
    party_mark_url = models.URLField(
        _("党政机关标识核验地址"), blank=True, help_text=_("点击“党政机关”标识打开的核验页地址。")
    )
    party_mark_image = models.CharField(
        _("党政机关标识图片"), max_length=200, blank=True,
        help_text=_("标识图片的地址（站内静态文件路径或网址）；留空则显示文字链接。"),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__path"]
        constraints = [
            models.UniqueConstraint(fields=["is_main"], condition=models.Q(is_main=True), name="sites_one_main_site"),
        ]
        verbose_name = _("网站")
        verbose_name_plural = _("网站")

    def __str__(self) -> str:
        return self.name

    def alias_list(self) -> list[str]:
        return [line.strip().lower().rstrip(".") for line in self.aliases.splitlines() if line.strip()]

    def host_names(self) -> list[str]:
        """Every host name the site answers on, its address's first."""
        names = [host_of(self.url)] if self.url else []
        return list(dict.fromkeys(n for n in [*names, *self.alias_list()] if n))

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.url:
            parts = urlsplit(self.url)
            if parts.path not in ("", "/") or parts.query or parts.fragment:
                errors["url"] = str(_("首页网址只写协议和域名（可带端口），不带路径，如 https://kjj.example.gov.cn。"))
        for alias in self.alias_list():
            try:
                host_validator(alias)
            except ValidationError:
                errors["aliases"] = str(_("域名“%(host)s”格式不正确。") % {"host": alias[:80]})
                break
        if self.colour and len(self.colour) == 7 and contrast_with_white(self.colour) < 4.5:
            errors["colour"] = str(_("页头文字为白色，该颜色与白色的对比度不足 4.5:1，请选更深的颜色。"))
        if errors:
            raise ValidationError(errors)


class SiteHost(models.Model):
    """域名: one host name and the site that answers on it (kept from the site's address and other names)."""

    host = models.CharField(_("域名"), max_length=253, unique=True, validators=[host_validator])
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="hosts")

    class Meta:
        ordering = ["host"]
        verbose_name = _("域名")
        verbose_name_plural = _("域名")

    def __str__(self) -> str:
        return self.host
