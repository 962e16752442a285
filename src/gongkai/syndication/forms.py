from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from gongkai.catalog.models import Column


class SyndicationForm(forms.Form):
    """报送到上级网站: the column of a site above, and a note for its editors."""

    column = forms.TypedChoiceField(label=_("报送栏目"), coerce=int)
    note = forms.CharField(label=_("报送说明"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("可选，如：请采用到部门动态栏目。"))

    def __init__(self, *args: Any, columns: list[Column], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.columns = {c.pk: c for c in columns}
        field = self.fields["column"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("请选择")), *((c.pk, f"{c.organisation.name} · {c.name}") for c in columns)]

    def chosen_column(self) -> Column:
        return self.columns[self.cleaned_data["column"]]
