"""Validation at the edge for 政民互动 input (the portal and the workspace use these).

The forms check shape only; the rules (lengths with the counts in the message, contact required, periods of
major decisions, personal data in what is published) live in `services`, whose ValidationErrors the views
put back on these forms field by field, so a person never loses what they typed.
"""

from __future__ import annotations

from typing import Any

from django import forms

from gongkai.orgs.models import Organisation

from .models import Comment, FeedbackEntry, Letter


class LetterForm(forms.Form):
    """写信: what a member of the public fills in."""

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), to_field_name="code", label="写信给", empty_label=None
    )
    kind = forms.ChoiceField(label="来信类型", choices=Letter.Kind.choices, widget=forms.RadioSelect)
    subject = forms.CharField(label="主题", widget=forms.TextInput(attrs={"size": 60}))
    body = forms.CharField(
        label="来信内容", widget=forms.Textarea(attrs={"rows": 10}), help_text="最多5000字；请勿填写身份证号码、银行卡号等敏感信息。"
    )
    name = forms.CharField(label="姓名")
    email = forms.CharField(label="电子邮箱", required=False, help_text="答复后将向该邮箱发送通知。")
    phone = forms.CharField(label="联系电话", required=False, help_text="电子邮箱和联系电话至少填写一项。")
    attachment = forms.FileField(label="附件（可选）", required=False, help_text="支持PDF、Word、图片等格式。")
    consent_to_publish = forms.BooleanField(
        label="同意在网站上选登本信及答复（公开时将隐去姓名、联系方式等个人信息）", required=False
    )

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]


class TrackForm(forms.Form):
    """查询: the tracking number and secret the writer was given."""

    tracking_number = forms.CharField(label="查询编号", max_length=40)
    secret = forms.CharField(label="查询密码", max_length=40, widget=forms.PasswordInput(render_value=True))


class CommentForm(forms.Form):
    """提交意见 on a consultation; name and e-mail are optional."""

    body = forms.CharField(label="意见建议", widget=forms.Textarea(attrs={"rows": 8}), help_text="最多5000字。")
    name = forms.CharField(label="姓名（可选）", required=False)
    email = forms.CharField(label="电子邮箱（可选）", required=False)


class LockedForm(forms.Form):
    lock_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AssignForm(LockedForm):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(queryset=None, label="承办人")

    def __init__(self, *args: Any, users: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from django.contrib.auth import get_user_model

        ids = [u.pk for u in users or []]
        self.fields["assignee"].queryset = get_user_model().objects.filter(pk__in=ids).order_by("username")  # type: ignore[attr-defined]
        self.fields["assignee"].label_from_instance = lambda u: u.get_full_name() or u.username  # type: ignore[attr-defined]


class ReplyForm(forms.Form):
    body = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 10}))
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
    explanation = forms.CharField(label="起草说明", widget=forms.Textarea(attrs={"rows": 6}))
    draft_text = forms.CharField(label="征求意见稿", widget=forms.Textarea(attrs={"rows": 14}))
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
