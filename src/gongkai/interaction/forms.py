"""Validation at the edge for 政民互动 input (the portal and the workspace use these).

The forms check shape only; the rules (lengths with the counts in the message, contact required, periods of
major decisions, personal data in what is published) live in `services`, whose ValidationErrors the views
put back on these forms field by field, so a person never loses what they typed.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import EmailAddressField, PhoneField, PublicForm, RichTextarea, add_problems
from gongkai.core.people import display_name
from gongkai.orgs.models import Organisation

from . import challenge, services
from .models import Comment, FeedbackEntry, Letter
from .services import BODY_MAX, COMMENT_MAX, NAME_MAX, SUBJECT_MAX


class ChallengeForm(PublicForm):
    """A public form with the arithmetic question and the honeypot (challenge.py), checked with every other
    field so that a person sees all problems at once. The question is rendered apart (`_challenge.html`):
    each page shows a new one."""

    challenge_answer = forms.CharField(label=_("验证问题"), max_length=20)
    website = forms.CharField(required=False, label=_("网址（请勿填写）"))

    rendered_apart = ("challenge_answer",)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "challenge_answer" in self.errors:
            return cleaned
        try:
            challenge.verify(self.data.get("challenge_token", ""), cleaned.get("challenge_answer", ""),
                             cleaned.get("website", ""))
        except ValidationError as exc:
            self.add_error("challenge_answer" if exc.code in ("answer", "expired") else None, exc.messages)
        return cleaned


class LetterForm(ChallengeForm):
    """写信: what a member of the public fills in."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), to_field_name="code", label=_("写信给"), empty_label=None
    )
    kind = forms.ChoiceField(label=_("来信类型"), choices=Letter.Kind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label=_("主题"), max_length=SUBJECT_MAX)
    body = forms.CharField(
        label=_("来信内容"), widget=forms.Textarea(attrs={"rows": 10}), max_length=BODY_MAX,
        help_text=_("最多5000字；请勿填写身份证号码、银行卡号等敏感信息。"),
    )
    name = forms.CharField(label=_("姓名"), max_length=NAME_MAX, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = EmailAddressField(label=_("电子邮箱"), required=False,
                              help_text=_("填写后，我们会把查询编号和查询密码发到该邮箱，答复后也会通知您。"))
    phone = PhoneField(label=_("联系电话"), required=False, help_text=_("电子邮箱和联系电话至少填写一项。"))
    attachment = forms.FileField(label=_("附件（可选）"), required=False, help_text=_("支持PDF、Word、图片等格式。"))
    consent_to_publish = forms.BooleanField(
        label=_("同意在网站上选登本信及答复（公开时将隐去姓名、联系方式等个人信息）"), required=False
    )

    field_order = ("organisation", "kind", "subject", "body", "name", "email", "phone", "attachment",
                   "consent_to_publish", "challenge_answer", "website")

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]

    def letter_input(self) -> services.LetterInput:
        d = self.cleaned_data
        return services.LetterInput(
            kind=d.get("kind") or "", subject=d.get("subject") or "", body=d.get("body") or "",
            name=d.get("name") or "", email=d.get("email") or "", phone=d.get("phone") or "",
            consent_to_publish=bool(d.get("consent_to_publish")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        add_problems(self, {k: v for k, v in services.validate_letter(self.letter_input()).items()
                            if k not in self.errors})
        return cleaned


class TrackForm(PublicForm):
    """查询: the tracking number and secret the writer was given."""

    tracking_number = forms.CharField(
        label=_("查询编号"), max_length=40, help_text=_("如 MCKJJ-2025-00001"),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )
    secret = forms.CharField(label=_("查询密码"), max_length=40, help_text=_("注意区分大小写"),
                             widget=forms.PasswordInput(render_value=True, attrs={"autocomplete": "off"}))


class CommentForm(ChallengeForm):
    """提交意见 on a consultation; name and e-mail are optional."""

    body = forms.CharField(label=_("意见建议"), widget=forms.Textarea(attrs={"rows": 8}), max_length=COMMENT_MAX,
                           help_text=_("最多5000字。"))
    name = forms.CharField(label=_("姓名（可选）"), required=False, max_length=NAME_MAX,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = EmailAddressField(label=_("电子邮箱（可选）"), required=False)

    field_order = ("body", "name", "email", "challenge_answer", "website")


class LockedForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AssignForm(LockedForm):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="承办人")

    def __init__(self, *args: Any, users: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        ids = [u.pk for u in users or []]
        self.fields["assignee"].queryset = get_user_model().objects.filter(pk__in=ids).order_by("username")  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = display_name  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    body = forms.CharField(label="答复内容", widget=RichTextarea("basic", attrs={"rows": 10}))
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class PublishForm(LockedForm):
    public_subject = forms.CharField(label="公开标题")
    public_question = forms.CharField(label="公开留言内容", widget=forms.Textarea(attrs={"rows": 8}))
    public_answer = forms.CharField(label="公开答复内容", widget=forms.Textarea(attrs={"rows": 8}))


class ConsentForm(LockedForm):
    consent_note = forms.CharField(label="同意方式", help_text="如：2024年5月6日电话征得来信人同意")


class ReasonForm(LockedForm):
    reason = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(ReasonForm):
    into = forms.CharField(label="合并至（主办来信的查询编号）")


class SettingsForm(forms.Form):
    reply_days = forms.IntegerField(label="答复期限（工作日）", min_value=1, max_value=60)
    reminder_days = forms.IntegerField(label="到期前提醒（工作日）", min_value=0, max_value=59)
    accepts_letters = forms.BooleanField(label="接收来信", required=False)


class DateInput(forms.DateInput):
    input_type = "date"


class ConsultationForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    explanation = forms.CharField(label="起草说明", widget=RichTextarea("full", attrs={"rows": 6}))
    draft_text = forms.CharField(label="征求意见稿", widget=RichTextarea("full", attrs={"rows": 14}))
    is_major = forms.BooleanField(label="属于重大行政决策", required=False)
    starts_on = forms.DateField(label="开始日期", widget=DateInput)
    ends_on = forms.DateField(label="截止日期", widget=DateInput)
    short_period_reason = forms.CharField(
        label="征集期少于30日的理由", required=False, help_text="重大行政决策征求意见期一般不少于30日；少于30日的须说明理由并公开。"
    )
    contact = forms.CharField(label="意见反馈联系方式（机关）", required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=0)


class ModerateForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(Comment.Status.APPROVED, "展示"), (Comment.Status.REJECTED, "不予展示")], label="审核结果"
    )
    reason = forms.CharField(label="说明", required=False)


class FeedbackForm(LockedForm):
    summary = forms.CharField(label="总体情况", widget=forms.Textarea(attrs={"rows": 4}), required=False)
    final_item = forms.TypedChoiceField(label="正式政策文件", coerce=int, required=False, empty_value=None)

    def __init__(self, *args: Any, items: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["final_item"].choices = [("", "（请选择已发布的正式文件）")] + [  # type: ignore[attr-defined]
            (i.pk, f"{i.title}{'（' + i.document_number + '）' if i.document_number else ''}") for i in items or []
        ]


class FeedbackEntryForm(forms.Form):
    opinion = forms.CharField(label="意见摘要", widget=forms.Textarea(attrs={"rows": 2}))
    comment_count = forms.IntegerField(label="意见条数", min_value=1, initial=1)
    decision = forms.ChoiceField(label="采纳情况", choices=FeedbackEntry.Decision.choices)
    reason = forms.CharField(label="理由说明", widget=forms.Textarea(attrs={"rows": 2}))
