"""Reads of 信息报送: a submission's status, what an organisation sent and received, its adoption rate
(信息采用率 = accepted / submitted) and the ranking a supervising organisation sees."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Column, Item
from gongkai.orgs.models import Organisation
from gongkai.review.models import Submission

from .models import Syndication


class Status(models.TextChoices):
    WAITING = "waiting", _("待采用")
    ACCEPTED = "accepted", _("已采用")
    REFUSED = "refused", _("未采用")
    WITHDRAWN = "withdrawn", _("已撤回")


def _with_review_status(qs: QuerySet[Syndication]) -> QuerySet[Syndication]:
    latest = Submission.objects.filter(
        content_type=ContentType.objects.get_for_model(Syndication), object_id=OuterRef("pk"),
    ).order_by("-submitted_at", "-id")
    return qs.annotate(review_status=Subquery(latest.values("status")[:1]))


def status_of(syndication: Syndication) -> Status:
    if syndication.withdrawn_at is not None:
        return Status.WITHDRAWN
    if syndication.accepted_at is not None:
        return Status.ACCEPTED
    review = getattr(syndication, "review_status", None)
    if review is None:
        review = Submission.objects.filter(
            content_type=ContentType.objects.get_for_model(Syndication), object_id=syndication.pk,
        ).order_by("-submitted_at", "-id").values_list("status", flat=True).first()
    return Status.REFUSED if review == Submission.Status.RETURNED else Status.WAITING


def earlier_submission(item: Item, column: Column) -> Syndication | None:
    """The standing submission of `item` to `column`, if any (a withdrawn one does not stand)."""
    return Syndication.objects.filter(source=item, column=column, withdrawn_at__isnull=True).first()


def target_columns(item: Item) -> list[Column]:
    """The columns `item` may be submitted to: the active columns of the organisations above its own."""
    ids = [int(p) for p in item.organisation.path.strip("/").split("/") if p][:-1]
    return list(Column.objects.filter(organisation_id__in=ids, is_active=True)
                .select_related("organisation").order_by("organisation__path", "sort_order", "pk"))


@dataclass(frozen=True)
class Row:
    syndication: Syndication
    status: Status


def _rows(qs: QuerySet[Syndication], limit: int) -> list[Row]:
    qs = _with_review_status(qs.select_related("source", "column", "organisation", "target_organisation", "copy"))
    return [Row(s, status_of(s)) for s in qs.order_by("-submitted_at", "-id")[:limit]]


def sent_by(org: Organisation, *, limit: int = 200) -> list[Row]:
    return _rows(Syndication.objects.filter(organisation=org), limit)


def received_by(org: Organisation, *, limit: int = 200) -> list[Row]:
    return _rows(Syndication.objects.filter(target_organisation=org), limit)


def of_item(item: Item) -> list[Row]:
    return _rows(Syndication.objects.filter(source=item), 50)


@dataclass(frozen=True)
class Adoption:
    """信息采用率 of one organisation over a period: how many it submitted, how many were accepted."""

    organisation: Organisation
    submitted: int
    accepted: int

    @property
    def rate(self) -> Decimal | None:
        """Percent, one decimal; None when nothing was submitted."""
        if not self.submitted:
            return None
        return (Decimal(self.accepted * 100) / self.submitted).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _period(start: dt.date, end: dt.date) -> Q:
    return Q(submitted_at__date__gte=start, submitted_at__date__lte=end)


def adoption(org: Organisation, start: dt.date, end: dt.date) -> Adoption:
    counts = Syndication.objects.filter(_period(start, end), organisation=org).aggregate(
        submitted=Count("id"), accepted=Count("id", filter=Q(accepted_at__isnull=False)))
    return Adoption(org, counts["submitted"], counts["accepted"])


def ranking(supervisor: Organisation, start: dt.date, end: dt.date) -> list[Adoption]:
    """The organisations below `supervisor`, ranked by adoption rate (then by how many were accepted); those
    that submitted nothing come last."""
    below = Organisation.objects.filter(path__startswith=supervisor.path).exclude(pk=supervisor.pk).order_by("path")
    counts = {
        row["organisation"]: (row["submitted"], row["accepted"])
        for row in Syndication.objects.filter(_period(start, end), organisation__in=below).values("organisation")
        .annotate(submitted=Count("id"), accepted=Count("id", filter=Q(accepted_at__isnull=False)))
    }
    rows = [Adoption(org, *counts.get(org.pk, (0, 0))) for org in below]
    return sorted(rows, key=lambda a: (a.rate is None, -(a.rate or 0), -a.accepted, a.organisation.path))
