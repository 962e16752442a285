"""Forms of the reports app: the text of sections 一/五/六, publishing, staff figures (used by the workspace)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.core.forms import RichTextarea
from gongkai.core.text import html_to_text, looks_like_html

from .models import FIGURE_FIELDS, StaffFigures


def _as_lines(value: str) -> str:
    """The editor's paragraphs as lines; text typed without the editor stays as it is."""
    return html_to_text(value) if looks_like_html(value) else value


class SectionsForm(forms.Form):
    """Sections 一 (drafted by the platform), 五 and 六 (written by staff), and the preamble."""

    preamble = forms.CharField(label=_("报告说明（开头段落）"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    # The statutory report is prose in paragraphs: the editor keeps paragraphs (pasted from Word or WPS as they
    # are), stored as one paragraph a line as before; without JavaScript the textarea takes the lines directly.
    section_1 = forms.CharField(
        label=_("一、总体情况"), required=False, widget=RichTextarea("paragraphs", attrs={"rows": 14}),
        help_text=_("由平台根据数据起草，可修改；每段一行。"),
    )
    section_5 = forms.CharField(label=_("五、存在的主要问题及改进情况"), required=False,
                                widget=RichTextarea("paragraphs", attrs={"rows": 6}))
    section_6 = forms.CharField(label=_("六、其他需要报告的事项"), required=False,
                                widget=RichTextarea("paragraphs", attrs={"rows": 4}))
    note = forms.CharField(label=_("修改说明"), required=False, max_length=300)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)

    KEYS = {"section_1": "一", "section_5": "五", "section_6": "六"}

    def texts(self) -> dict[str, str]:
        return {key: _as_lines(self.cleaned_data[name]) for name, key in self.KEYS.items()}

    @classmethod
    def initial_for(cls, document: dict[str, Any], lock_version: int) -> dict[str, Any]:
        sections = document.get("sections", {})
        initial: dict[str, Any] = {name: sections.get(key, {}).get("text", "") for name, key in cls.KEYS.items()}
        initial.update(preamble=document.get("preamble", ""), lock_version=lock_version)
        return initial


class PublishForm(forms.Form):
    reason = forms.CharField(
        label=_("发布理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("检查未通过时必须填写：由签发人说明为何仍予发布。"),
    )
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class RecomputeForm(forms.Form):
    redraft_section_one = forms.BooleanField(label=_("同时按最新数据重新起草第一部分（覆盖已修改的文字）"), required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput)


class StaffFiguresForm(forms.ModelForm[StaffFigures]):
    """The figures staff enter; the service validates and audits them (this form only parses)."""

    lock_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = StaffFigures
        fields = list(FIGURE_FIELDS)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Any number of files in one field; each is checked by the service, by content."""

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class AuditBatchForm(forms.Form):
    """A batch of published reports to audit: files (any number at once) and/or addresses, one a line."""

    title = forms.CharField(label=_("批次名称"), required=False, max_length=200,
                            help_text=_("可选，例如“2024年度区直部门年度报告”。"))
    reports = MultipleFileField(
        label=_("报告文件"), required=False, widget=MultipleFileInput(attrs={
            "multiple": True, "accept": ".pdf,.docx,.html,.htm,.shtml,.txt",
        }),
        help_text=_("可一次选择多个文件：PDF（须有文字层）、DOCX、网页（HTML）或纯文本。"),
    )
    addresses = forms.CharField(
        label=_("报告网址"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("每行一个 http:// 或 https:// 网址，由系统下载后审查。"),
    )

    def address_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("addresses", "").splitlines() if line.strip()]
