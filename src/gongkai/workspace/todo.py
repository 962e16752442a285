"""What waits on me (待办): the workspace's inbox and the count in its header, put together from each app's reads.

Four kinds: review tasks I may decide, my submissions that came back, applications and letters near or past their
deadline that I handle. "Near" is within `SOON_WORKING_DAYS` working days. The header's count is computed only
when a page shows it (the template reads `todo.count`), so pages that do not show it pay nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from gongkai.applications import selectors as application_selectors
from gongkai.catalog.models import DutyListVersion, Item
from gongkai.core.calendar_selectors import working_calendar
from gongkai.interaction import selectors as interaction_selectors
from gongkai.interaction.models import Reply
from gongkai.review import selectors as review_selectors

SOON_WORKING_DAYS = 3


def _horizon(today: dt.date) -> dt.date:
    return working_calendar().add_working_days(today, SOON_WORKING_DAYS)


@dataclass
class Inbox:
    """The four lists, each already limited to what waits on `user`."""

    tasks: list[Any]
    returned: list[Any]
    applications: list[Any]
    letters: list[Any]
    today: dt.date

    @property
    def count(self) -> int:
        return len(self.tasks) + len(self.returned) + len(self.applications) + len(self.letters)


def inbox_for(user: Any, *, limit: int = 200) -> Inbox:
    today = timezone.localdate()
    by = _horizon(today)
    return Inbox(
        tasks=list(review_selectors.pending_tasks_for(user)[:limit]),
        returned=[
            (s, review_selectors.returning_decision(s), where_to_edit(s))
            for s in review_selectors.returned_to(user)[:limit]
        ],
        applications=list(application_selectors.due_for(user, by)[:limit]),
        letters=list(interaction_selectors.letters_due_for(user, by)[:limit]),
        today=today,
    )


def where_to_edit(submission: Any) -> str:
    """The workspace page where the submitter edits what came back (the review engine knows no pages)."""
    obj = submission.content_object
    if isinstance(obj, Item):
        return reverse("workspace:item", kwargs={"pk": obj.pk})
    if isinstance(obj, DutyListVersion):
        return reverse("workspace:duty_version", kwargs={"pk": obj.pk})
    if isinstance(obj, Reply):
        return reverse("ws_interaction:letter", kwargs={"pk": obj.letter_id})
    return ""


def todo_count(user: Any) -> int:
    by = _horizon(timezone.localdate())
    return (
        review_selectors.pending_tasks_for(user).count()
        + review_selectors.returned_to(user).count()
        + application_selectors.due_for(user, by).count()
        + interaction_selectors.letters_due_for(user, by).count()
    )


class TodoBadge:
    """The header's 待办 count, computed on first use."""

    def __init__(self, user: Any) -> None:
        self.user = user

    @cached_property
    def count(self) -> int:
        if not getattr(self.user, "is_authenticated", False):
            return 0
        return todo_count(self.user)


def todo(request: HttpRequest) -> dict[str, Any]:
    """Context processor: `todo.count` in every workspace page's header."""
    return {"todo": TodoBadge(getattr(request, "user", None))}
