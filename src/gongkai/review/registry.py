"""What the review engine needs from each kind of reviewable object.

What a submission is about (organisation, title, the text to pre-check) is pushed by the domain service when it
submits (`services.submit`). What remains here are the object's own rules, which the engine calls back because
only the domain knows them: how to publish an approved revision, and what stands in the way of signing it off.
Domain apps (catalog, interaction) register an adapter for their models in `AppConfig.ready()`; the engine never
imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models

from .prechecks import AttachmentText, LinkChecker


@dataclass(frozen=True)
class PrecheckInput:
    """What a submission's automatic pre-checks read (预检内容): its title, summary, body (HTML) and attachments,
    pushed by the domain service on submit.

    link_checker says whether a site-relative address is publicly reachable (None: links are not checked).
    """

    title: str
    body_html: str
    summary: str = ""
    attachments: tuple[AttachmentText, ...] = ()
    link_checker: LinkChecker | None = None


@dataclass(frozen=True)
class ReviewableAdapter:
    """The publishing and sign-off rules of one reviewable model.

    publish(obj, revision, actor, go_live_at): make the approved revision the public one, in the caller's
    transaction, advancing the public generation (core.services.public_content_changed) once;
    signoff_problems(obj, revision): rules that block sign-off unless the approver records a reason.
    """

    publish: Callable[[Any, Any, Any, dt.datetime], None]
    signoff_problems: Callable[[Any, Any], list[str]] = field(default=lambda obj, revision: [])


_adapters: dict[type[models.Model], ReviewableAdapter] = {}


def register(model: type[models.Model], adapter: ReviewableAdapter) -> None:
    _adapters[model] = adapter


def adapter_for(obj_or_model: models.Model | type[models.Model]) -> ReviewableAdapter:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    try:
        return _adapters[model]
    except KeyError:
        raise LookupError(f"{model.__name__} is not registered as reviewable") from None
