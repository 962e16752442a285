"""Forms of the staff workspace that are not catalog metadata."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongkai.catalog import selectors as catalog_selectors
from gongkai.review.models import Decision

from .acting import organisation_filter


class DecisionForm(forms.Form):
    """A reviewer's decision on one step, with the five checks (五关).

    Approving is one control (五关均已通过): it records each of the five checks as passed. A return records the
    checks the reviewer ticked and needs a comment. `version` is the task's lock version as the page showed it.
    """

    action = forms.ChoiceField(label=_("审核结论"), choices=Decision.Action.choices, widget=forms.RadioSelect)
    all_checks = forms.BooleanField(required=False, widget=forms.HiddenInput)
    political_ok = forms.BooleanField(label=_("政治关"), required=False)
    policy_ok = forms.BooleanField(label=_("政策关"), required=False)
    secrecy_ok = forms.BooleanField(label=_("保密关"), required=False)
    format_ok = forms.BooleanField(label=_("格式关"), required=False)
    wording_ok = forms.BooleanField(label=_("文字关"), required=False)
    comment = forms.CharField(label=_("审核意见"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}))
    signoff_reason = forms.CharField(
        label=_("签发说明"), required=False, max_length=500,
        help_text=_("规范性文件无政策解读等情形下签发时必填。"), widget=forms.Textarea(attrs={"rows": 2}),
    )
    publish_at = forms.DateTimeField(
        label=_("发布时间"), required=False, help_text=_("留空则签发后立即发布。"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def checks(self) -> dict[str, bool]:
        if self.cleaned_data.get("all_checks"):
            return dict.fromkeys(Decision.CHECK_FIELDS, True)
        return {f: bool(self.cleaned_data.get(f)) for f in Decision.CHECK_FIELDS}


class BatchForm(forms.Form):
    """批量通过: the tasks ticked in the queue, each approved with the five checks passed."""

    tasks = forms.TypedMultipleChoiceField(coerce=int, choices=(), error_messages={
        "required": _("请先勾选要通过的审核任务。"), "invalid_choice": _("所选任务已不在您的待审列表中，请刷新页面。"),
    })
    comment = forms.CharField(label=_("审核意见（可选）"), required=False, max_length=2000)

    def __init__(self, *args: Any, task_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["tasks"].choices = [(pk, str(pk)) for pk in task_ids]  # type: ignore[attr-defined]


class MailPreferenceForm(forms.Form):
    receives_mail = forms.BooleanField(label=_("接收邮件提醒（待审核任务、退回、每日逾期汇总）"), required=False)


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


class ItemListFilterForm(forms.Form):
    """信息管理 filters: stage, organisation, column, period and words; also the item ledger's filters."""

    state = forms.ChoiceField(label=_("状态"), required=False)
    org = forms.CharField(label=_("机构"), required=False, max_length=50)
    column = forms.IntegerField(label=_("栏目"), required=False, min_value=1)
    date_from = forms.DateField(label=_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("至"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    q = forms.CharField(label=_("标题、文号或索引号"), required=False, max_length=60)

    def __init__(self, *args: Any, states: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        state = self.fields["state"]
        assert isinstance(state, forms.ChoiceField)
        state.choices = [("", _("全部")), *states]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("结束日期不能早于开始日期。"))
        return data


def item_filters(request: HttpRequest) -> tuple[ItemListFilterForm, catalog_selectors.ItemFilters]:
    """The item list's filters from the query string; invalid ones are shown on the form and not applied."""
    form = ItemListFilterForm(request.GET or None, states=catalog_selectors.STAFF_STATES)
    data = form.cleaned_data if form.is_valid() else {}
    return form, catalog_selectors.ItemFilters(
        state=data.get("state") or "", org=organisation_filter(request), column_id=data.get("column"),
        date_from=data.get("date_from"), date_to=data.get("date_to"), query=data.get("q") or "",
    )
