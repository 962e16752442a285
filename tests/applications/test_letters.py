"""Reply letters (答复告知书): generated and typed text never repeat, and the signature block with its date never
falls onto a page of its own, in PDF and DOCX."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import replace

import pytest
from docx import Document
from pypdf import PdfReader

from gongkai.applications import letters
from gongkai.applications.models import ReplyKind

FACTS = letters.LetterFacts(
    organisation_name="明川市科学技术局", office_name="办公室", office_phone="0000-6888000",
    letter_number="明科依复〔2026〕12号", application_number="YSQ-mckjj-2026-00012", applicant_name="张三",
    received_on=dt.date(2026, 3, 2), subject="2025年度科技计划项目立项名单", reply_kind=ReplyKind.UNAVAILABLE_NEEDS_CREATION,
    legal_basis="《中华人民共和国政府信息公开条例》第三十六条第（四）项", content="", replied_on=dt.date(2026, 3, 20),
)


def test_the_generated_decision_stands_when_the_officer_adds_other_text() -> None:
    letter = letters.compose(replace(FACTS, content="如需了解项目情况，可查阅本机关网站“通知公告”栏目。"))
    assert letter["paragraphs"][1].startswith("经审查，本机关没有您申请公开的“2025年度科技计划项目立项名单”的现成信息")
    assert "如需了解项目情况" in letter["paragraphs"][2]


@pytest.mark.parametrize("typed", [
    "经审查，本机关没有您申请公开的“2025年度科技计划项目立项名单”的现成信息。该名单由省科技厅汇总。",
    "经审查 本机关没有您申请公开的 2025年度科技计划项目立项名单 的现成信息，建议向省科技厅申请。",
])
def test_generated_and_typed_text_never_repeat(typed: str) -> None:
    letter = letters.compose(replace(FACTS, content=f"{typed}\n{typed}"))
    text = "".join(letter["paragraphs"])
    assert text.count("现成信息") == 1  # neither the generated sentence again, nor the typed one twice
    assert typed in letter["paragraphs"]


def _pages_of(pdf: bytes, *needles: str) -> list[int]:
    pages = [page.extract_text().replace(" ", "").replace("\n", "") for page in PdfReader(io.BytesIO(pdf)).pages]
    return [next(i for i, text in reversed(list(enumerate(pages))) if needle in text) for needle in needles]


def test_a_letter_that_fills_its_page_keeps_signature_and_date_with_its_last_lines() -> None:
    # From a short letter to one whose text runs to the last lines of page 1 and beyond: wherever the page ends,
    # the date is on the page of the organisation's signature and of the last paragraph.
    seen_second_page = False
    for n in range(8, 30, 2):
        body = "\n".join(f"第{i}点：关于该名单的说明文字，本机关已向申请人作出解释并提供了查询渠道。" for i in range(1, n))
        letter = letters.compose(replace(FACTS, content=body))
        pdf = letters.render_pdf(letter)
        last, signature, date = _pages_of(pdf, "联系电话", "明川市科学技术局" + "2026年3月20日", "2026年3月20日")
        assert last == signature == date, f"{n} paragraphs"
        seen_second_page = seen_second_page or date > 0
        document = Document(io.BytesIO(letters.render_docx(letter)))
        closing = document.paragraphs[-4:]
        assert all(p.paragraph_format.keep_with_next for p in closing[:-1]), "DOCX: the block keeps together"
    assert seen_second_page  # the range does cross a page end
