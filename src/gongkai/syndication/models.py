"""信息报送: an item published on one organisation's site, submitted to a column of a site above it.

The receiving organisation's staff accept or refuse it through their own review steps (gongkai.review: a
Syndication is reviewable); accepted, a copy goes live in the column (catalog.Item.copy_of), showing the source
organisation, its 索引号 and a canonical link to the source. Whether a submission is waiting, refused or
cancelled is read from its review rows; what the receiving side did with it (`accepted_at`, `copy`) and what
the source did (`withdrawn_at`) are stored here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Organisation


class Syndication(models.Model):
    """信息报送: one item submitted to one column of a site above its own."""

    # The review task page shows the snapshot as an item's (its revision holds the copy's fields).
    reviewed_as_item = True

    source = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="syndications", verbose_name=_("报送信息"))
    column = models.ForeignKey(Column, on_delete=models.PROTECT, related_name="syndications", verbose_name=_("报送栏目"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="syndications_sent", verbose_name=_("报送单位")
    )
    target_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="syndications_received", verbose_name=_("接收单位")
    )
    note = models.CharField(_("报送说明"), max_length=300, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("采用时间"), null=True, blank=True)
    copy = models.OneToOneField(
        Item, null=True, blank=True, on_delete=models.PROTECT, related_name="syndicated_as", verbose_name=_("采用稿")
    )
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            # Once per column while it stands; a source withdrawn and published again may be submitted again.
            models.UniqueConstraint(fields=["source", "column"], condition=models.Q(withdrawn_at__isnull=True),
                                    name="syndication_once_per_column"),
        ]
        indexes = [
            models.Index(fields=["organisation", "submitted_at"]),
            models.Index(fields=["target_organisation", "submitted_at"]),
        ]
        verbose_name = _("信息报送")
        verbose_name_plural = _("信息报送")

    def __str__(self) -> str:
        return f"{self.source.title} → {self.column}"
