"""Forms of the staff workspace that are not catalog metadata."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from gongkai.review.models import Decision


class DecisionForm(forms.Form):
    """A reviewer's decision on one step, with the five checks (五关)."""

    action = forms.ChoiceField(label="审核结论", choices=Decision.Action.choices, widget=forms.RadioSelect)
    political_ok = forms.BooleanField(label="政治关", required=False)
    policy_ok = forms.BooleanField(label="政策关", required=False)
    secrecy_ok = forms.BooleanField(label="保密关", required=False)
    format_ok = forms.BooleanField(label="格式关", required=False)
    wording_ok = forms.BooleanField(label="文字关", required=False)
    comment = forms.CharField(label="审核意见", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    signoff_reason = forms.CharField(
        label="签发说明", required=False, max_length=500,
        help_text="规范性文件无政策解读等情形下签发时必填。", widget=forms.Textarea(attrs={"rows": 2}),
    )

    def checks(self) -> dict[str, bool]:
        return {f: bool(self.cleaned_data.get(f)) for f in Decision.CHECK_FIELDS}


class SubmitForm(forms.Form):
    publish_at = forms.DateTimeField(
        label="定时发布", required=False, help_text="留空则审核通过后立即发布。",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def clean_publish_at(self) -> Any:
        value = self.cleaned_data.get("publish_at")
        if value is not None and value <= timezone.now():
            raise forms.ValidationError("定时发布时间必须晚于当前时间。")
        return value


class OverrideForm(forms.Form):
    reason = forms.CharField(label="忽略理由", min_length=4, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
