"""Form and message helpers shared by the portal and the workspace."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest


def add_service_errors(form: forms.BaseForm, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: per field where it names one the form has, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def run_form_action(form: forms.BaseForm, action: Callable[[dict[str, Any]], object]) -> bool:
    """Validate `form` and run the service `action` on its cleaned data; on refusal the reason lands on the form.

    True when the action ran; False when the form or the service said no (the form then carries the errors).
    """
    if not form.is_valid():
        return False
    try:
        action(form.cleaned_data)
    except PermissionDenied as exc:
        form.add_error(None, str(exc) or "您没有权限执行此操作。")
        return False
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def refusal_text(exc: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one line for a message."""
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or "您没有权限执行此操作。"


def flash_outcome(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call; flash `success`, or the service's refusal as an error. True when it ran."""
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return False
    messages.success(request, success)
    return True
