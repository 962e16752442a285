"""Detectors and masking of personal data (个人信息)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gongkai.core.personal_data import (
    PROVINCE_CODES,
    find_personal_data,
    looks_like_resident_id,
    luhn_is_valid,
    mask_name,
    mask_text,
    masked_excerpt,
    resident_id_check_char,
    resident_id_is_valid,
)

TODAY = dt.date(2025, 6, 1)


def kinds(text: str) -> list[str]:
    return [f.kind for f in find_personal_data(text, today=TODAY)]


def luhn_complete(prefix: str) -> str:
    """`prefix` plus the digit that makes it pass Luhn."""
    for d in "0123456789":
        if luhn_is_valid(prefix + d):
            return prefix + d
    raise AssertionError("unreachable")


@st.composite
def resident_ids(draw: st.DrawFn) -> str:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    area = draw(st.from_regex(r"[0-9]{4}", fullmatch=True))
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=TODAY))
    order = draw(st.from_regex(r"[0-9]{3}", fullmatch=True))
    first17 = province + area + born.strftime("%Y%m%d") + order
    return first17 + resident_id_check_char(first17)


@st.composite
def bank_cards(draw: st.DrawFn) -> str:
    length = draw(st.integers(16, 19))
    first = draw(st.sampled_from("3456"))
    rest = draw(st.from_regex(rf"[0-9]{{{length - 2}}}", fullmatch=True))
    return luhn_complete(first + rest)


@st.composite
def mobiles(draw: st.DrawFn) -> str:
    return draw(st.from_regex(r"1[3-9][0-9]{9}", fullmatch=True))


# ---- resident identity numbers --------------------------------------------------------------------

def test_known_resident_id_is_valid_and_found() -> None:
    assert resident_id_is_valid("11010519491231002X", today=TODAY)
    assert resident_id_is_valid("11010519491231002x", today=TODAY)
    text = "申请人身份证号码：11010519491231002X。"
    [finding] = find_personal_data(text, today=TODAY)
    assert finding.kind == "resident_id"
    assert text[finding.start : finding.end] == "11010519491231002X"
    assert finding.masked == "110105********002X"


@given(resident_ids(), st.sampled_from(["身份证号", "ID:", "", "公民 "]), st.sampled_from(["。", "", " 住"]))
def test_generated_resident_ids_are_found_and_masked(number: str, before: str, after: str) -> None:
    text = before + number + after
    findings = find_personal_data(text, today=TODAY)
    assert [f.kind for f in findings] == ["resident_id"]
    masked = findings[0].masked
    assert masked[:6] == number[:6] and masked[-4:] == number[-4:]
    assert masked[6:14] == "*" * 8  # the birth date never shows
    assert number not in mask_text(text)
    assert number[6:14] not in mask_text(text)


@given(resident_ids(), st.integers(0, 10))
def test_wrong_check_character_is_not_found(number: str, shift: int) -> None:
    wrong = "10X98765432"[("10X98765432".index(number[-1]) + 1 + shift % 10) % 11]
    assume(wrong != number[-1])
    bad = number[:17] + wrong
    assert not resident_id_is_valid(bad, today=TODAY)
    assert find_personal_data(f"号码{bad}。", today=TODAY) == []


@pytest.mark.parametrize(
    "number",
    [
        "110105209902300019",  # 2099-02-30: not a date
        "110105202902280012",  # a birth date after today
        "110105189912310015",  # born before 1900
        "990105194912310010",  # no province 99
        "110105194913010015",  # month 13
    ],
)
def test_implausible_resident_ids_are_refused(number: str) -> None:
    first17 = number[:17]
    fixed = first17 + resident_id_check_char(first17)  # right check character, wrong everything else
    assert not resident_id_is_valid(fixed, today=TODAY)
    assert "resident_id" not in kinds(f"证号{fixed}")


def test_resident_id_inside_a_longer_code_is_not_found() -> None:
    assert kinds("编码A11010519491231002X") == []
    assert kinds("11010519491231002X5") == []


def test_full_width_resident_id_is_found() -> None:
    full = "１１０１０５１９４９１２３１００２Ｘ"
    assert kinds(f"身份证{full}") == ["resident_id"]


def _grouped(number: str, sep: str, groups: tuple[int, ...]) -> str:
    parts, at = [], 0
    for size in groups:
        parts.append(number[at : at + size])
        at += size
    return sep.join(parts)


ID_GROUPINGS = ((6, 8, 4), (6, 4, 4, 4))


def test_id_number_written_with_spaces_or_hyphens_is_found() -> None:
    for written in ("110105 19491231 002X", "110105-19491231-002X", "110105 1949 1231 002X", "１１０１０５　１９４９１２３１　００２Ｘ"):
        text = f"身份证号：{written}，住址……"
        [finding] = find_personal_data(text, today=TODAY)
        assert finding.kind == "resident_id" and text[finding.start : finding.end] == written
        assert finding.masked == "110105********002X"
        assert "1949" not in mask_text(text)


@given(resident_ids(), st.sampled_from([" ", "-", "\u3000"]), st.sampled_from(ID_GROUPINGS),
       st.sampled_from(["身份证号", "证件号码：", "", "公民 "]), st.sampled_from(["。", "", " 住"]))
def test_generated_grouped_ids_are_found_and_masked(
    number: str, sep: str, groups: tuple[int, ...], before: str, after: str
) -> None:
    written = _grouped(number, sep, groups)
    text = before + written + after
    findings = find_personal_data(text, today=TODAY)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [("resident_id", written)]
    assert findings[0].masked == number[:6].upper() + "*" * 8 + number[-4:].upper()
    assert number[6:14] not in mask_text(text).replace(sep, "")


@given(resident_ids(), st.sampled_from(ID_GROUPINGS), st.integers(1, 16))
def test_separators_only_where_the_parts_meet(number: str, groups: tuple[int, ...], cut: int) -> None:
    # A separator anywhere else, or two kinds of separator, is not an identity number written in groups.
    boundaries = {sum(groups[:i]) for i in range(1, len(groups))}
    assume(cut not in boundaries)
    odd = number[:cut] + " " + number[cut:]
    assert "resident_id" not in kinds(f"编号 {odd} 号")
    mixed = _grouped(number, " ", groups)
    first = mixed.index(" ")
    mixed = mixed[:first] + "-" + mixed[first + 1 :]
    assert "resident_id" not in kinds(f"编号 {mixed} 号")


@given(resident_ids(), st.sampled_from(ID_GROUPINGS), st.integers(0, 10))
def test_grouped_number_with_wrong_check_character_is_not_found(
    number: str, groups: tuple[int, ...], shift: int
) -> None:
    wrong = "10X98765432"[("10X98765432".index(number[-1].upper()) + 1 + shift % 10) % 11]
    assume(wrong != number[-1].upper())
    assert "resident_id" not in kinds("证号 " + _grouped(number[:17] + wrong, " ", groups))


def test_grouped_id_inside_longer_runs_is_not_found() -> None:
    assert "resident_id" not in kinds("110105 19491231 002X 5")
    assert "resident_id" not in kinds("9 110105 19491231 002X")
    assert kinds("ID 110105 19491231 002X and more") == ["resident_id"]
    assert "resident_id" not in kinds("A-110105-19491231-002X")


# ---- phones ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    ["手机13812345678", "Tel: 138-1234-5678", "电话 138 1234 5678", "+86 13812345678", "+86-138-1234-5678",
     "0086 13812345678", "（１３８１２３４５６７８）"],
)
def test_mobile_numbers_are_found(text: str) -> None:
    [finding] = find_personal_data(text)
    assert finding.kind == "mobile"
    assert finding.masked == "138****5678"
    assert "1234" not in mask_text(text)


@given(mobiles(), st.sampled_from(["", "-", " "]))
def test_generated_mobiles_are_found_and_masked(number: str, sep: str) -> None:
    shown = number[:3] + sep + number[3:7] + sep + number[7:]
    findings = find_personal_data(f"联系电话：{shown}。")
    assert [f.kind for f in findings] == ["mobile"]
    assert findings[0].masked == number[:3] + "****" + number[7:]


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("电话0571-87654321", "0571-******21"),
        ("电话010-62345678", "010-******78"),
        ("电话（0571）87654321转8001", "0571-**********01"),
        ("电话(020)8765-4321", "020-******21"),
        ("传真 0931 8765432", "0931-*****32"),
    ],
)
def test_landlines_are_found_with_extension(text: str, masked: str) -> None:
    [finding] = find_personal_data(text)
    assert finding.kind == "landline"
    assert finding.masked == masked


# ---- bank cards -----------------------------------------------------------------------------------

@given(bank_cards())
def test_generated_luhn_valid_cards_are_found(card: str) -> None:
    assume(not looks_like_resident_id(card))
    findings = find_personal_data(f"银行卡号：{card}。", today=TODAY)
    assert [f.kind for f in findings] == ["bank_card"]
    assert findings[0].masked == card[:4] + "*" * (len(card) - 8) + card[-4:]


@given(bank_cards())
def test_cards_in_groups_of_four_are_found(card: str) -> None:
    assume(not looks_like_resident_id(card))
    grouped = " ".join(card[i : i + 4] for i in range(0, len(card), 4))
    assert kinds(f"卡号 {grouped} 开户行") == ["bank_card"]


@given(bank_cards(), st.integers(1, 9))
def test_cards_failing_luhn_are_not_found(card: str, delta: int) -> None:
    broken = card[:-1] + str((int(card[-1]) + delta) % 10)
    assert "bank_card" not in kinds(f"流水号{broken}")


# ---- e-mail ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("邮箱zhang.san@example.com.cn。", "z***@example.com.cn"),
        ("请发至 abc_1@163.com 联系", "a***@163.com"),
        ("ｚｈａｎｇ＠ｑｑ．ｃｏｍ", "z***@qq.com"),
    ],
)
def test_emails_are_found(text: str, masked: str) -> None:
    [finding] = find_personal_data(text)
    assert (finding.kind, finding.masked) == ("email", masked)


def test_long_runs_of_letters_are_scanned_in_linear_time() -> None:
    # Quadratic backtracking would take minutes on this; linear scanning takes milliseconds.
    assert find_personal_data("a" * 200_000 + "@") == []
    assert find_personal_data("1" * 200_000) == []


# ---- what must not be found -----------------------------------------------------------------------

@pytest.mark.parametrize(
    "text",
    [
        "根据《关于印发〈科技计划管理办法〉的通知》（银科发〔2019〕10号）执行。",
        "成文日期：2024-01-05，发布日期：2024年1月5日。",
        "索引号：11640100MB1234567X/2024-00012",
        "统一社会信用代码 91110000100000000X",
        "项目总投资13800000000元，其中财政资金15000000.00元，增长13.8123456%。",
        "合同编号 20240105000012345678",
        "流水号 6222021234567890123",  # a card-like number failing Luhn
        "序列号 2024010500001234",  # Luhn or not, a card never starts with 2
        "邮编 030000，电话区号 0351",
        "版本 1.3812345678",
        "110105194912310021",  # an identity-shaped number with a wrong check digit
    ],
)
def test_government_numbers_are_not_personal_data(text: str) -> None:
    assert kinds(text) == [], text


@given(st.text(alphabet=st.characters(exclude_categories=["Nd"]), max_size=300))
def test_text_without_digits_or_at_signs_has_no_findings(text: str) -> None:
    assume("@" not in text and "＠" not in text)
    assert find_personal_data(text) == []


@given(
    st.lists(
        st.one_of(resident_ids(), bank_cards(), mobiles(), st.sampled_from(["。", "，", "联系", " "])),
        max_size=8,
    )
)
def test_masking_never_leaves_the_middle_digits(parts: list[str]) -> None:
    text = "，".join(parts)
    masked = mask_text(text)
    for f in find_personal_data(text):
        digits = re.sub(r"[^0-9]", "", text[f.start : f.end])
        if f.kind == "resident_id":
            assert digits[6:14] not in re.sub(r"[^0-9]", "", masked)
        assert "*" in f.masked
        assert text[f.start : f.end] not in masked


@given(st.text(max_size=200))
def test_findings_are_ordered_and_disjoint(text: str) -> None:
    findings = find_personal_data(text)
    for a, b in itertools.pairwise(findings):
        assert a.end <= b.start


# ---- excerpts and names ---------------------------------------------------------------------------

def test_masked_excerpt_widens_to_whole_values() -> None:
    text = "甲" * 30 + "身份证11010519491231002X，手机13812345678" + "乙" * 30
    start = text.index("手机")
    excerpt = masked_excerpt(text, start, start + 2, context=8)
    assert "110105********002X" in excerpt  # the window cut the ID: it was widened and the ID masked
    assert "19491231" not in excerpt and "1234" not in excerpt
    assert excerpt.startswith("…") and excerpt.endswith("…")


def test_mask_name() -> None:
    assert mask_name("张三") == "张*"
    assert mask_name(" 欧阳娜娜 ") == "欧***"
    assert mask_name("") == ""
