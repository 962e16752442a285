"""Input forms of disclosure on request: the public application, staff registration and each processing step.

Forms only parse and check the shape of input; the rules live in `rules` and `services`.
"""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from gongkai.core.forms import EmailAddressField, IdentityNumberField, PhoneField, PublicForm, add_problems
from gongkai.core.people import display_name

from .letters import LEGAL_BASIS
from .models import ABANDONMENT_KINDS, Appeal, ApplicantKind, Channel, Delivery, Fee, FormWanted, ReplyKind
from .services import (
    CONSULTED_PARTIES,
    DESCRIPTION_MAX,
    ID_TYPES,
    OPINIONS,
    ApplicationInput,
    input_problems,
    today,
)

DATE_ERRORS = {"invalid": _("日期格式错误，应为 YYYY-MM-DD（如 2025-03-07）")}


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def date_field(label: StrOrPromise, *, required: bool = True, help_text: StrOrPromise = "") -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), input_formats=["%Y-%m-%d"],
                           error_messages=DATE_ERRORS, help_text=help_text)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ApplicationForm(PublicForm):
    """政府信息公开申请表 (条例 art. 29). Its shape checks and the service's rules (`input_problems`) are
    reported together, so the applicant sees every problem at once."""

    applicant_kind = forms.ChoiceField(label=_("申请人类型"), choices=ApplicantKind.choices)
    name = forms.CharField(label=_("姓名或名称"), max_length=100,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}))
    id_type = forms.ChoiceField(label=_("证件类型"), choices=[(t, _(t)) for t in ID_TYPES])  # marked by gettext_noop
    id_number = IdentityNumberField(label=_("证件号码"),
                                    help_text=_("自然人填写身份证件号码；法人或其他组织填写统一社会信用代码"))
    contact_person = forms.CharField(label=_("联系人（法人或其他组织填写）"), max_length=50, required=False,
                                     widget=forms.TextInput(attrs={"autocomplete": "name"}))
    phone = PhoneField(label=_("联系电话"), help_text=_("手机号码，或带区号的固定电话"))
    email = EmailAddressField(label=_("电子邮箱"), required=False,
                              help_text=_("填写后，每个办理环节都会通过电子邮件通知您"))
    address = forms.CharField(label=_("通信地址"), max_length=200, required=False,
                              widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
                              help_text=_("选择邮寄方式获取信息的必须填写"))
    postcode = forms.CharField(label=_("邮政编码"), max_length=10, required=False,
                               widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}))
    subject = forms.CharField(label=_("所需信息名称"), max_length=200)
    document_number = forms.CharField(label=_("文号（如知道）"), max_length=100, required=False)
    description = forms.CharField(label=_("所需信息的内容描述"), widget=forms.Textarea(attrs={"rows": 6}),
                                  max_length=DESCRIPTION_MAX,
                                  help_text=_("请写明信息的名称、文号或者便于查询的其他特征性描述（最多5000字）"))
    form_wanted = forms.ChoiceField(label=_("信息的形式"), choices=FormWanted.choices)
    delivery = forms.ChoiceField(label=_("获取信息的方式"), choices=Delivery.choices)
    fee_waiver_requested = forms.BooleanField(label=_("申请减免信息处理费"), required=False)
    documents = MultipleFileField(label=_("身份证明等材料（可选，最多5个）"), required=False,
                                  help_text=_("PDF、Word 或图片"))

    sections = (
        (_("申请人信息"), ("applicant_kind", "name", "id_type", "id_number", "contact_person", "phone", "email",
                      "address", "postcode")),
        (_("所需信息"), ("subject", "document_number", "description")),
        (_("获取方式"), ("form_wanted", "delivery", "fee_waiver_requested", "documents")),
    )

    def _input(self, d: dict[str, Any]) -> ApplicationInput:
        return ApplicationInput(
            applicant_kind=d.get("applicant_kind") or "", name=d.get("name") or "", id_type=d.get("id_type") or "",
            id_number=d.get("id_number") or "", phone=d.get("phone") or "", subject=d.get("subject") or "",
            description=d.get("description") or "", form_wanted=d.get("form_wanted") or "",
            delivery=d.get("delivery") or "", email=d.get("email") or "", address=d.get("address") or "",
            postcode=d.get("postcode") or "", contact_person=d.get("contact_person") or "",
            document_number=d.get("document_number") or "", fee_waiver_requested=bool(d.get("fee_waiver_requested")),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        # Fields that failed their own checks are absent here; the service's rules must not repeat them.
        add_problems(self, {k: v for k, v in input_problems(self._input(cleaned), on=today()).items()
                            if k not in self.errors})
        return cleaned

    def application_input(self) -> ApplicationInput:
        return self._input(self.cleaned_data)


class PublicApplicationForm(ApplicationForm):
    # A field people never see: bots fill it in, and their submissions are refused.
    website = forms.CharField(required=False, label=_("网址（请勿填写）"))

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("提交无效"))
        return ""


class RegisterForm(ApplicationForm):
    """Staff registration of an application received by letter, in person, fax or e-mail (登记)."""

    channel = forms.ChoiceField(label=_("申请方式"), choices=[c for c in Channel.choices if c[0] != Channel.ONLINE])
    registered_letter = forms.BooleanField(label=_("需签收的邮寄方式（挂号信、EMS等）"), required=False, initial=True)
    arrived_on = date_field(_("送达、签收或提交日期"))
    confirmed_on = date_field(_("与申请人确认日期"), required=False,
                              help_text=_("平常信函、传真、电子邮件须填写：以确认之日为收到申请之日（条例第三十一条）"))


class StepForm(forms.Form):
    """Every processing step: the date it happened and the version of the page it was made on."""

    on = date_field(_("日期"))
    lock_version = forms.IntegerField(widget=forms.HiddenInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = today()


class CorrectionRequestForm(StepForm):
    items = forms.CharField(label=_("需要补正的事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    correct_by = date_field(_("补正期限"), required=False, help_text=_("留空则为告知之日起15个工作日"))
    requires_document = forms.BooleanField(label=_("须提交补正材料"), required=False)


class CorrectedForm(StepForm):
    note = forms.CharField(label=_("补正内容摘要"), widget=forms.Textarea(attrs={"rows": 2}), required=False,
                           max_length=2000)
    documents = MultipleFileField(label=_("补正材料"), required=False)


class ConsultationStartForm(StepForm):
    party = forms.ChoiceField(label=_("征求意见对象"), choices=list(CONSULTED_PARTIES.items()))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class ConsultationEndForm(StepForm):
    opinion = forms.ChoiceField(label=_("意见"), choices=list(OPINIONS.items()))
    note = forms.CharField(label=_("说明"), required=False, max_length=2000)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return display_name(obj)


class ExtensionForm(StepForm):
    days = forms.IntegerField(label=_("延长工作日数"), min_value=1, max_value=20, initial=20,
                              error_messages={"max_value": _("延长的期限最长不得超过20个工作日（条例第三十三条）"),
                                              "min_value": _("延长的工作日数至少为1")})
    approved_by = PersonChoiceField(label=_("批准的负责人"), queryset=get_user_model().objects.none())
    reason = forms.CharField(label=_("延期理由"), max_length=500)

    def __init__(self, *args: Any, approvers: list[Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["approved_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = get_user_model().objects.filter(pk__in=[u.pk for u in approvers or []])


class FeeForm(StepForm):
    basis = forms.ChoiceField(label=_("计收方式"), choices=Fee.Basis.choices)
    quantity = forms.IntegerField(label=_("件数或页数"), min_value=1, max_value=100000, initial=1)


class ReplyForm(StepForm):
    kind = forms.ChoiceField(label=_("答复类型"),
                             choices=[c for c in ReplyKind.choices if c[0] not in ABANDONMENT_KINDS])
    content = forms.CharField(label=_("答复内容或理由"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                              max_length=5000, help_text=_("写入答复告知书；予以公开时写明获取方式、途径和时间"))
    legal_basis = forms.CharField(label=_("法律依据（留空按答复类型自动填写）"), max_length=300, required=False)

    basis_hints = LEGAL_BASIS


class AppealForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=Appeal.Kind.choices)
    filed_on = date_field(_("立案或收到日期"))
    body = forms.CharField(label=_("复议机关或法院"), max_length=100, required=False)
    case_number = forms.CharField(label=_("案号"), max_length=100, required=False)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(label=_("结果"), choices=Appeal.Outcome.choices)
    decided_on = date_field(_("审结日期"), required=False)
    lock_version = forms.IntegerField(widget=forms.HiddenInput())


class TrackForm(PublicForm):
    number = forms.CharField(label=_("申请编号"), max_length=60, help_text=_("如 YSQ-mckjj-2025-00001"),
                             widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false",
                                                           "autocapitalize": "none"}))
    secret = forms.CharField(label=_("查询密码"), max_length=40, help_text=_("提交申请时显示的12位密码，不区分大小写"),
                             widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}))


class StatsForm(forms.Form):
    year = forms.IntegerField(min_value=2008, max_value=2100)

    @staticmethod
    def default_year() -> int:
        return (today() - datetime.timedelta(days=1)).year
