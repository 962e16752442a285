"""Forms of the reports app: the text of the prose sections, publishing, staff figures (used by the workspace)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Column
from gongkai.core.forms import RichTextarea
from gongkai.core.text import html_to_text, looks_like_html

from .models import FIGURE_FIELDS, StaffFigures
from .spec import DISCLOSURE, ReportFormat

__i18n_exempt__ = ("SectionsForm.KEYS",)


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

    KEYS: dict[str, str] = {"section_1": "一", "section_5": "五", "section_6": "六"}  # the format's section keys

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
def sections_form_for(fmt: ReportFormat) -> type[SectionsForm]:
    """The sections form of a format: the disclosure report's own (一, 五, 六), or one text area per prose
    section of another format, with the same interface (`texts`, `initial_for`)."""
    if fmt.family == DISCLOSURE:
        return SectionsForm
    keys = {f"section_{n}": s.key for n, s in enumerate(fmt.sections, start=1) if s.editable}
    fields: dict[str, Any] = {
        "preamble": forms.CharField(label=_("开头段落"), required=False, widget=forms.Textarea(attrs={"rows": 2})),
    }
    for name, key in keys.items():
        section = fmt.section(key)
        fields[name] = forms.CharField(
            label=section.numbered_heading if section.show_heading else section.heading, required=False,
            widget=forms.Textarea(attrs={"rows": 4}),
        )
    for name in SectionsForm.KEYS:
        fields.setdefault(name, None)  # the disclosure report's sections are not this format's
    fields["KEYS"] = keys
    return type(f"SectionsForm_{fmt.edition.replace('-', '_')}", (SectionsForm,), fields)


def inputs_form_for(fmt: ReportFormat) -> type[forms.Form]:
    """A form of the figures staff enter for a format whose ``inputs`` list them (the service validates)."""
    fields: dict[str, Any] = {}
    for entry in fmt.inputs.fields if fmt.inputs else ():
        label = f"{entry.group}｜{entry.label}" if entry.group else entry.label
        if entry.type == "boolean":
            fields[entry.key] = forms.BooleanField(label=label, required=False, help_text=entry.help)
        elif entry.type == "text":
            fields[entry.key] = forms.CharField(label=label, required=False, max_length=200, help_text=entry.help)
        elif entry.type == "decimal":
            fields[entry.key] = forms.DecimalField(label=label, required=False, min_value=0, help_text=entry.help)
        else:
            fields[entry.key] = forms.IntegerField(
                label=label, required=False, min_value=None if entry.type == "signed_integer" else 0, help_text=entry.help,
            )
    fields["lock_version"] = forms.IntegerField(widget=forms.HiddenInput, required=False)
    return type(f"InputsForm_{fmt.edition.replace('-', '_')}", (forms.Form,), fields)


class QuarterlyForm(forms.Form):
    """Which quarter to draft the 季度自查报告 for, in which column, and the 找错 messages the office counted."""

    year = forms.IntegerField(label=_("年度"), min_value=2008, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("季度"), coerce=int, choices=[(1, _("第一季度")), (2, _("第二季度")), (3, _("第三季度")), (4, _("第四季度"))]
    )
    column = forms.ModelChoiceField(label=_("发布栏目"), queryset=Column.objects.none())
    errors_received = forms.IntegerField(
        label=_("“我为政府网站找错”转办留言（条）"), min_value=0, initial=0,
        help_text=_("由国家找错平台转办、本季度收到的网民留言数。"),
    )
    errors_handled = forms.IntegerField(label=_("其中已办结（条）"), min_value=0, initial=0)

    def __init__(self, *args: Any, columns: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["column"].queryset = columns  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("errors_handled", 0) > data.get("errors_received", 0):
            self.add_error("errors_handled", _("已办结的不能多于收到的。"))
        return data
