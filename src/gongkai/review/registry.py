"""What the review engine needs to know about each kind of reviewable object.

Domain apps (catalog, interaction, reports) register an adapter for their models in `AppConfig.ready()`;
the engine calls it and never imports those apps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from gongkai.orgs.models import Organisation

from .prechecks import AttachmentText


@dataclass(frozen=True)
class PrecheckInput:
    """What the pre-checks read of one revision: its title, summary, body (HTML) and attachments."""

    title: str
    body_html: str
    summary: str = ""
    attachments: tuple[AttachmentText, ...] = ()


@dataclass(frozen=True)
class ReviewableAdapter:
    """Callbacks for one reviewable model.

    organisation(obj): whose workflow applies; title(obj): shown in queues;
    precheck_input(obj, revision): the text the automatic pre-checks scan;
    signoff_problems(obj, revision): rules that block sign-off unless the approver records a reason;
    publish(obj, revision, actor, go_live_at): make the approved revision the public one;
    workspace_url(obj): where staff open it.
    """

    organisation: Callable[[Any], Organisation]
    title: Callable[[Any], str]
    precheck_input: Callable[[Any, Any], PrecheckInput]
    publish: Callable[[Any, Any, Any, dt.datetime], None]
    workspace_url: Callable[[Any], str]
    signoff_problems: Callable[[Any, Any], list[str]] = field(default=lambda obj, revision: [])
    link_checker: Callable[[str], bool] | None = None


_adapters: dict[type[models.Model], ReviewableAdapter] = {}


def register(model: type[models.Model], adapter: ReviewableAdapter) -> None:
    _adapters[model] = adapter


def adapter_for(obj_or_model: models.Model | type[models.Model]) -> ReviewableAdapter:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return _adapters[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not registered as reviewable") from None
