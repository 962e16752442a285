"""The public forms' one language: shared validation of phones, identity numbers and e-mail, and plain messages."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.cnnum import parse_integer_answer
from gongkai.core.forms import EmailAddressField, IdentityNumberField, PhoneField, PublicForm
from gongkai.core.personal_data import (
    credit_code_check_char,
    credit_code_is_valid,
    email_problem,
    identity_number_problem,
    phone_problem,
    resident_id_check_char,
)


@pytest.mark.parametrize("number", [
    "13812345678", "138 1234 5678", "+86 138-1234-5678", "0086 13812345678", "010-12345678", "(0571)8765432转123",
    "0571-87654321 分机 12", "+1 415 555 0100", "０１０－１２３４５６７８", "4008123456", "87654321",
])
def test_phone_numbers_people_write_are_accepted(number: str) -> None:
    assert phone_problem(number) == ""


@pytest.mark.parametrize("number", ["abc", "12345", "1381234567", "138123456789", "12812345678", "+86 1381234",
                                    "010-1234-5678-9999-0000", "电话13812345678"])
def test_what_is_not_a_phone_number_is_refused_in_plain_words(number: str) -> None:
    assert phone_problem(number)


@given(st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY", min_size=17, max_size=17))
def test_credit_code_check_character(first17: str) -> None:
    code = first17 + credit_code_check_char(first17)
    assert credit_code_is_valid(code)
    wrong = next(c for c in "0123456789ABCDEFGHJKLMNPQRTUWXY" if c != code[-1])
    assert not credit_code_is_valid(first17 + wrong)


def test_identity_numbers_by_kind() -> None:
    good_id = "11010519850307001" + resident_id_check_char("11010519850307001")
    assert identity_number_problem("resident_id", good_id.lower(), today=dt.date(2025, 1, 1)) == ""
    wrong = good_id[:-1] + ("1" if good_id[-1] != "1" else "2")
    assert "校验码" in identity_number_problem("resident_id", wrong, today=dt.date(2025, 1, 1))
    assert identity_number_problem("credit_code", "91350100M000100Y43") == ""  # a published example
    assert "统一社会信用代码" in identity_number_problem("credit_code", "91350100M000100Y44")
    assert identity_number_problem("other", "E12345678") == ""
    assert identity_number_problem("other", "") == "请填写证件号码。"


def test_email_problem() -> None:
    assert email_problem("zhang.san@example.cn") == ""
    assert email_problem("ｚｈａｎｇ＠ｅｘａｍｐｌｅ．ｃｎ") == ""  # typed with a full-width keyboard
    assert "name@example.com" in email_problem("zhang@")


@pytest.mark.parametrize(("text", "value"), [
    ("16", 16), ("１６", 16), (" 十六 ", 16), ("十", 10), ("二十", 20), ("两", 2), ("零", 0), ("-3", -3), ("负三", -3),
])
def test_answers_in_either_script(text: str, value: int) -> None:
    assert parse_integer_answer(text) == value


@pytest.mark.parametrize("text", ["", "abc", "十六个", "1.5"])
def test_answers_that_are_no_number(text: str) -> None:
    with pytest.raises(ValueError):
        parse_integer_answer(text)


class Sample(PublicForm):
    name = forms.CharField(label="姓名", max_length=10)
    note = forms.CharField(label="内容描述（最多20字）", max_length=20, widget=forms.Textarea)
    kind = forms.ChoiceField(label="类型", choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    agree = forms.BooleanField(label="同意")
    phone = PhoneField(label="联系电话", required=False)
    email = EmailAddressField(label="电子邮箱", required=False)
    id_number = IdentityNumberField(label="证件号码", required=False)


def test_every_message_is_plain_chinese_and_names_its_field() -> None:
    form = Sample({"name": "", "note": "长" * 25, "kind": "x", "phone": "abc", "email": "a@", "id_number": " 1101 x "})
    assert not form.is_valid()
    assert form.errors["name"] == ["请填写姓名。"]
    assert form.errors["note"] == ["内容描述最多20个字，您填写了25个字，请精简后提交。"]
    assert form.errors["kind"] == ["请从列表中选择类型。"]
    assert form.errors["agree"] == ["请勾选“同意”。"]
    assert "联系电话" in form.errors["phone"][0]
    assert "电子邮箱格式不正确" in form.errors["email"][0]
    # The summary lists every problem, in form order, each pointing at its control (radio: the first button).
    targets = [target for target, _label, _message in form.error_list()]
    assert targets == ["id_name", "id_note", "id_kind_0", "id_agree", "id_phone", "id_email"]
    assert "maxlength" not in str(form["note"])  # a long paste is never cut silently
    assert 'maxlength="10"' in str(form["name"])


def test_shared_fields_bring_the_right_keyboard() -> None:
    html = str(Sample()["phone"]) + str(Sample()["email"]) + str(Sample()["id_number"])
    assert 'type="tel"' in html and 'inputmode="tel"' in html and 'autocomplete="tel"' in html
    assert 'type="email"' in html and 'autocomplete="email"' in html
    assert 'autocapitalize="characters"' in html


def test_identity_numbers_are_stored_half_width_without_spaces() -> None:
    form = Sample({"name": "张三", "note": "x", "kind": "a", "agree": "on", "id_number": " ９１３５ 0100m000100y43"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["id_number"] == "91350100M000100Y43"


def test_a_message_given_on_purpose_is_kept() -> None:
    class Dated(PublicForm):
        on = forms.DateField(label="日期", error_messages={"invalid": "日期格式错误，应为 YYYY-MM-DD"})

    form = Dated({"on": "明天"})
    assert form.errors["on"] == ["日期格式错误，应为 YYYY-MM-DD"]
    assert Dated({})["on"].field.error_messages["required"] == "请填写日期。"
