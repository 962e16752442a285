"""Validation at the edge for catalog input (the workspace and the API use these)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from gongkai.core.forms import RichTextarea
from gongkai.core.text import local_images_in, removed_by_sanitizer
from gongkai.orgs.models import Organisation

from .models import Channel, Column, Item
from .vocabularies import GENRES, TOPICS

_INDEX_RE = re.compile(r"^[0-9A-Za-z/\-]{4,80}$")


class ColumnChoiceField(forms.ModelChoiceField):
    """The organisation is fixed on the item form, so a column is named by its place in the column tree."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.parent.name} / {obj.name}" if obj.parent else obj.name


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class ItemForm(forms.Form):
    """公开信息 metadata as an editor enters it."""

    column = ColumnChoiceField(queryset=Column.objects.none(), label="栏目")
    title = forms.CharField(label="标题", max_length=300)
    summary = forms.CharField(label="内容概述", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label="正文", required=False, widget=RichTextarea("full"))
    index_number = forms.CharField(
        label="索引号", max_length=80, required=False, help_text="留空则在发布时按本机构规则自动生成。"
    )
    document_number = forms.CharField(label="文号", max_length=100, required=False)
    written_on = forms.DateField(label="成文日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    topic = forms.ChoiceField(label="主题分类", choices=TOPICS, initial="02")
    genre = forms.ChoiceField(label="体裁", choices=GENRES, initial="other")
    keywords = forms.CharField(label="关键词", max_length=200, required=False, help_text="多个关键词用空格分隔。")
    source = forms.CharField(label="信息来源", max_length=100, required=False)
    is_policy = forms.BooleanField(label="政策文件", required=False)
    is_normative = forms.BooleanField(label="规范性文件", required=False)
    validity = forms.ChoiceField(label="有效性", choices=[("", "—"), *list(Item.Validity.choices)], required=False)
    effective_on = forms.DateField(label="施行日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    expires_on = forms.DateField(label="失效日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    abolished_on = forms.DateField(label="废止日期", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    disclosure = forms.ChoiceField(label="公开属性", choices=Item.Disclosure.choices, initial="proactive")
    non_disclosure_reason = forms.CharField(label="不予公开理由", max_length=300, required=False)
    interprets = forms.ModelChoiceField(queryset=Item.objects.none(), label="解读的政策文件", required=False)
    interpretation_form = forms.ChoiceField(
        label="解读形式", choices=[("", "—"), *list(Item.InterpretationForm.choices)], required=False
    )
    attachments = MultipleFileField(label="附件", required=False)

    def __init__(
        self, *args: Any, organisation: Organisation, item: Item | None = None, image_upload_url: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.body_notes: list[str] = []  # what the sanitiser took out, to tell the editor after saving
        body_widget = self.fields["body"].widget
        assert isinstance(body_widget, RichTextarea)
        body_widget.upload_url = image_upload_url
        column_field = self.fields["column"]
        assert isinstance(column_field, forms.ModelChoiceField)
        column_field.queryset = Column.objects.filter(organisation=organisation, is_active=True).select_related("parent")
        policies = Item.objects.filter(organisation=organisation, is_policy=True)
        if item is not None:
            policies = policies.exclude(pk=item.pk)
        interprets_field = self.fields["interprets"]
        assert isinstance(interprets_field, forms.ModelChoiceField)
        interprets_field.queryset = policies.order_by("-id")

    def clean_body(self) -> str:
        body = self.cleaned_data.get("body") or ""
        local = local_images_in(body)
        if local:
            # Saving would lose them: the gate keeps only the site's own pictures.
            raise ValidationError(
                f"正文中有 {local} 张图片还没有上传到本站（可能是粘贴时未能读取或上传失败），保存会丢失这些图片。"
                "请删除它们，再用“插入图片”按钮上传后保存。"
            )
        self.body_notes = removed_by_sanitizer(body)
        return body

    def clean_index_number(self) -> str:
        value = (self.cleaned_data.get("index_number") or "").strip()
        if value and not _INDEX_RE.match(value):
            raise ValidationError("索引号只能包含字母、数字、“/”和“-”，长度4至80。")
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("is_normative"):
            data["is_policy"] = True
        if data.get("is_policy") and not data.get("validity"):
            self.add_error("validity", "政策文件须填写有效性。")
        if data.get("validity") == Item.Validity.ABOLISHED and not data.get("abolished_on"):
            self.add_error("abolished_on", "废止的文件须填写废止日期。")
        if data.get("validity") == Item.Validity.EXPIRED and not data.get("expires_on"):
            self.add_error("expires_on", "失效的文件须填写失效日期。")
        eff, exp = data.get("effective_on"), data.get("expires_on")
        if eff and exp and exp < eff:
            self.add_error("expires_on", "失效日期不能早于施行日期。")
        written = data.get("written_on")
        if written and eff and eff < written:
            self.add_error("effective_on", "施行日期不能早于成文日期。")
        if data.get("disclosure") == Item.Disclosure.NOT_DISCLOSED and not data.get("non_disclosure_reason"):
            self.add_error("non_disclosure_reason", "不予公开的信息须说明理由。")
        if data.get("interprets") and not data.get("interpretation_form"):
            self.add_error("interpretation_form", "政策解读须选择解读形式。")
        if data.get("interpretation_form") and not data.get("interprets"):
            self.add_error("interprets", "请选择所解读的政策文件。")
        return data

    def service_data(self) -> dict[str, Any]:
        """The cleaned data in the shape the catalog services take."""
        d = dict(self.cleaned_data)
        d["column_id"] = d.pop("column").pk
        interprets = d.pop("interprets", None)
        d["interprets_id"] = interprets.pk if interprets else None
        d.pop("attachments", None)
        return d


class WithdrawForm(forms.Form):
    reason = forms.CharField(label="撤稿理由", min_length=4, max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class ChannelForm(forms.Form):
    channel = forms.ChoiceField(label="渠道", choices=[c for c in Channel.choices if c[0] != Channel.WEBSITE])
    published_on = forms.DateField(label="发布日期", widget=forms.DateInput(attrs={"type": "date"}))
    address = forms.URLField(label="地址", required=False, assume_scheme="https")


class DutyVersionForm(forms.Form):
    """A duty-list version: entries pasted one per line, fields separated by tabs (as copied from a sheet)."""

    kind = forms.ChoiceField(label="清单类型", choices=[("power", "权力清单"), ("responsibility", "责任清单")])
    label = forms.CharField(label="版本", max_length=50, help_text="如 2024.11.10")
    effective_on = forms.DateField(label="调整日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="调整说明", max_length=500, required=False)
    entries = forms.CharField(
        label="事项",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="每行一个事项，各列以制表符分隔：事项编码、事项名称、事项类型、设定依据、承办机构、责任事项、追责情形。",
    )

    def clean_entries(self) -> list[dict[str, str]]:
        rows = []
        names = ["code", "name", "category", "basis", "responsible_unit", "duties", "accountability"]
        for n, line in enumerate((self.cleaned_data.get("entries") or "").splitlines(), start=1):
            if not line.strip():
                continue
            cells = [c.strip() for c in line.split("\t")]
            if len(cells) < 3:
                raise ValidationError(f"第{n}行至少需要事项编码、事项名称、事项类型三列（以制表符分隔）。")
            rows.append(dict(zip(names, cells + [""] * (len(names) - len(cells)), strict=False)))
        if not rows:
            raise ValidationError("请至少填写一个事项。")
        return rows
