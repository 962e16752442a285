"""Form and message helpers shared by the portal and the workspace, and the public forms' one language.

Every public form (apply, write to the mailbox, track, comment) is a `PublicForm`: each message names its field
in plain Chinese ("所需信息的内容描述最多5000个字，您填写了10000个字"), never Django's stock wording; long texts get no
`maxlength` (a browser cuts pasted text silently; the message says how much to shorten instead); and phone
numbers, identity numbers and e-mail addresses are the shared fields below, checked by the same functions in
`core.personal_data` that the services call.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext

from .personal_data import (
    IDENTITY_NUMBER_MAX,
    email_problem,
    fold_width,
    normalise_identity_number,
    phone_problem,
)


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
        form.add_error(None, str(exc) or gettext("您没有权限执行此操作。"))
        return False
    except ValidationError as exc:
        add_service_errors(form, exc)
        return False
    return True


def refusal_text(exc: ValidationError | PermissionDenied) -> str:
    """A service's refusal as one line for a message."""
    if isinstance(exc, ValidationError):
        return "；".join(str(m) for m in exc.messages)
    return str(exc) or gettext("您没有权限执行此操作。")


def flash_outcome(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    """Run a service call; flash `success`, or the service's refusal as an error. True when it ran."""
    try:
        action()
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, refusal_text(exc))
        return False
    messages.success(request, success)
    return True


# ---- the public forms' one language -----------------------------------------------------------------------

def short_label(field: forms.Field) -> str:
    """The field's label without its bracketed note: "联系人（法人或其他组织填写）" → "联系人"."""
    return re.split(r"[（(]", str(field.label or ""), maxsplit=1)[0].strip() or gettext("此项")


def _plain_messages(field: forms.Field) -> dict[str, str]:
    label = short_label(field).replace("%", "%%")
    choosing = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    if isinstance(field, forms.BooleanField):
        required = gettext("请勾选“%(label)s”。") % {"label": label}
    elif isinstance(field, forms.FileField):
        required = gettext("请选择要上传的%(label)s。") % {"label": label}
    elif choosing:
        required = gettext("请选择%(label)s。") % {"label": label}
    else:
        required = gettext("请填写%(label)s。") % {"label": label}
    plain = {
        "required": required,
        "max_length": gettext("%(label)s最多%%(limit_value)d个字，您填写了%%(show_value)d个字，请精简后提交。")
        % {"label": label},
        "min_length": gettext("%(label)s至少%%(limit_value)d个字，您填写了%%(show_value)d个字。") % {"label": label},
        "invalid_choice": gettext("请从列表中选择%(label)s。") % {"label": label},
        "invalid_list": gettext("请从列表中选择%(label)s。") % {"label": label},
        "invalid": gettext("%(label)s的格式不正确。") % {"label": label},
        "max_value": gettext("%(label)s不能大于%%(limit_value)s。") % {"label": label},
        "min_value": gettext("%(label)s不能小于%%(limit_value)s。") % {"label": label},
        "empty": gettext("上传的%(label)s是空文件。") % {"label": label},
    }
    if isinstance(field, forms.FileField):  # its max_length is the file name's, with other parameters
        plain["max_length"] = gettext("上传的文件名过长，请改短后再上传。")
    return plain


class PublicForm(forms.Form):
    """The base of every form the public fills in (公众表单): plain messages naming their field, all at once.

    `error_list()` gives the summary shown at the top of the page: (field id or "", label, message) in the
    order of the form, so each line can link to its field. Fields named in `rendered_apart` are left out of
    the generic field loop (portal/forms/_fields.html) because the page draws them itself.
    """

    rendered_apart: tuple[str, ...] = ()
    # Long forms fall into parts, each drawn as a <fieldset> with its legend: ((legend, (field, ...)), ...).
    sections: tuple[tuple[Any, tuple[str, ...]], ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            # Messages a field was given on purpose (a date's expected format, say) are kept; Django's stock
            # ones are replaced.
            stock: dict[str, Any] = {}
            for cls in reversed(type(field).__mro__):
                stock.update(getattr(cls, "default_error_messages", {}))
            own = {k: v for k, v in field.error_messages.items() if stock.get(k) != v}
            field.error_messages = {**field.error_messages, **_plain_messages(field), **own}
            if isinstance(field.widget, forms.Textarea):
                field.widget.attrs.pop("maxlength", None)

    def grouped(self) -> list[tuple[str, list[forms.BoundField]]]:
        """The fields to draw, in parts: [(legend or "", bound fields)]; fields no part names come last."""
        drawn = [name for name in self.fields if name not in self.rendered_apart]
        parts: list[tuple[str, list[forms.BoundField]]] = []
        placed: set[str] = set()
        for legend, names in self.sections:
            parts.append((str(legend), [self[n] for n in names if n in drawn]))
            placed.update(names)
        rest = [self[n] for n in drawn if n not in placed]
        if rest:
            parts.append(("", rest))
        return parts

    def error_list(self) -> list[tuple[str, str, str]]:
        found: list[tuple[str, str, str]] = [("", "", str(e)) for e in self.non_field_errors()]
        for bound in self:
            for error in bound.errors:
                # A group of radio buttons has no single id: the summary leads to the first button.
                target = bound.id_for_label or (f"{bound.auto_id}_0" if bound.auto_id else "")
                found.append((target, short_label(bound.field), str(error)))
        return found


class PhoneField(forms.CharField):
    """联系电话: a phone keypad on a phone, checked by `personal_data.phone_problem` (the services' rule too)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 30)
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "type": "tel", "inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and (problem := phone_problem(value)):
            raise ValidationError(problem, code="invalid")


class EmailAddressField(forms.CharField):
    """电子邮箱: the e-mail keyboard on a phone, checked by `personal_data.email_problem`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 254)
        kwargs.setdefault("widget", forms.EmailInput(attrs={
            "inputmode": "email", "autocomplete": "email", "autocapitalize": "none", "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return fold_width(super().to_python(value) or "").strip()

    def validate(self, value: Any) -> None:
        super().validate(value)
        if value and (problem := email_problem(value)):
            raise ValidationError(problem, code="invalid")


class IdentityNumberField(forms.CharField):
    """证件号码, stored half-width, without spaces, in upper case. Which rule applies depends on the document
    type chosen beside it, so the form checks it with `personal_data.identity_number_problem` in `clean()`."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", IDENTITY_NUMBER_MAX + 10)  # spaces people type are removed after
        kwargs.setdefault("widget", forms.TextInput(attrs={
            "autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> str:
        return normalise_identity_number(super().to_python(value) or "")


def add_problems(form: forms.BaseForm, problems: dict[str, Any]) -> None:
    """A service validator's field messages on the form, for fields that have no error of their own yet
    (the form's own shape checks speak first; the service's rules fill in the rest, so all show at once)."""
    for name, message in problems.items():
        target = name if name in form.fields else None
        if target is not None and target in form.errors:
            continue
        form.add_error(target, message)
class RichTextarea(forms.Textarea):
    """A textarea that the workspace's rich-text editor (CKEditor 5, core/static/core/richtext.js) takes over.

    Without JavaScript it stays a textarea that takes HTML; either way `core.text.sanitize_html` is the gate.
    `mode`: "full" (headings, lists, tables, links and, with `upload_url`, images), "basic" (no tables or
    images), "paragraphs" (paragraphs only: texts stored as one paragraph a line). Pasted images above
    `paste_limit` bytes in one paste are refused whole.
    """

    template_name = "django/forms/widgets/textarea.html"

    class Media:
        css = {"all": ["vendor/ckeditor5/ckeditor5.css", "core/richtext.css"]}
        js = ["vendor/ckeditor5/ckeditor5.umd.js", "vendor/ckeditor5/translations/zh-cn.umd.js", "core/richtext.js"]

    def __init__(
        self, mode: str = "basic", *, upload_url: str = "", paste_limit: int | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs={"rows": 14, **(attrs or {})})
        self.mode = mode
        self.upload_url = upload_url
        self.paste_limit = paste_limit

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        from django.conf import settings
        from django.utils.translation import gettext

        extra = {
            "data-richtext": self.mode,
            "data-paste-limit": str(self.paste_limit or settings.MAX_UPLOAD_BYTES),
            "data-richtext-messages": json.dumps({
                "too_large": gettext(
                    "粘贴的内容含约 %(size)s MB 图片，超过单次粘贴 %(limit)s MB 的上限，已取消粘贴，正文未改变。"
                    "请分几次粘贴，或先压缩图片。"
                ),
                "images_missing": gettext(
                    "粘贴的内容中有图片无法从剪贴板读取（原文档中的本地图片）。请用工具栏的“插入图片”按钮另行上传这些图片。"
                ),
                "no_images": gettext("此处不能插入图片，粘贴内容中的图片未保留。"),
            }, ensure_ascii=False),
        }
        if self.upload_url:
            extra["data-upload-url"] = self.upload_url
        return super().get_context(name, value, {**(attrs or {}), **extra})
