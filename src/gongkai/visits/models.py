"""Visit statistics kept by the platform itself (网站访问统计): daily aggregates, no personal data.

A page view is counted at the server (cached pages too) and kept only as daily aggregates per organisation (the
site), page kind, column and item. Unique visitors are counted with a daily salted hash of the address and the
user agent: `VisitorMark` rows hold those hashes for the open day only, `DailySalt` the day's random salt. When a
day is closed (`services.close_days`) its unique counts are written into `DailyVisits` and both the marks and the
salt are deleted, so no hash outlives its day and none can be recomputed from an address afterwards.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.orgs.models import Organisation


class Scope(models.TextChoices):
    """What one aggregate row counts (统计口径)."""

    SITE = "site", _("全站")
    KIND = "kind", _("页面类型")
    COLUMN = "column", _("栏目")
    ITEM = "item", _("信息")


class DailyVisits(models.Model):
    """One day's page views (浏览量) and unique visitors (独立访客) of one scope of one organisation's site.

    `key` names the scope's member: "" for the whole site, the page kind ("item", "column", …), or the column's or
    item's id as text. `visitors` is final once the day is closed; before that the open day's visitors are counted
    from its marks.
    """

    day = models.DateField(_("日期"))
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("机构"))
    scope = models.CharField(_("口径"), max_length=10, choices=Scope.choices)
    key = models.CharField(_("对象"), max_length=40, blank=True)
    views = models.PositiveBigIntegerField(_("浏览量"), default=0)
    visitors = models.PositiveIntegerField(_("独立访客"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "organisation", "scope", "key"], name="visits_daily_unique"),
        ]
        indexes = [models.Index(fields=["organisation", "scope", "day"], name="visits_org_scope_day")]
        verbose_name = _("每日访问量")
        verbose_name_plural = _("每日访问量")

    def __str__(self) -> str:
        return f"{self.day} {self.organisation_id} {self.scope}:{self.key} {self.views}/{self.visitors}"


class VisitorMark(models.Model):
    """A visitor's daily salted hash on one page target of the open day; deleted when the day is closed."""

    day = models.DateField()
    organisation_id = models.BigIntegerField()
    kind = models.CharField(max_length=30)
    column_id = models.BigIntegerField(default=0)
    item_id = models.BigIntegerField(default=0)
    visitor = models.CharField(max_length=32)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "organisation_id", "kind", "column_id", "item_id", "visitor"], name="visits_mark_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.organisation_id} {self.kind}"


class DailySalt(models.Model):
    """The random salt of one day's visitor hashes, shared by every server process; deleted with the day's marks."""

    day = models.DateField(unique=True)
    salt = models.CharField(max_length=64)

    def __str__(self) -> str:
        return str(self.day)  # never the salt
