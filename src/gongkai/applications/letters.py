"""Decision letters (政府信息公开申请答复告知书): one template per reply kind, rendered to DOCX and PDF.

The letter's text is composed once, when the reply is recorded, and frozen on the `Reply` row (`letter`,
a JSON list of paragraphs), so that a later change of these templates never changes a letter already sent.
DOCX is written with python-docx, PDF with WeasyPrint (Noto CJK fonts).
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string

from gongkai.core.documents import docx_bytes, html_to_pdf, new_docx
from gongkai.core.typography import css_context

from .models import ReplyKind

# A reply letter is a statutory document in the wording the Regulations prescribe, kept as sent: content, not
# interface text, so it stays Chinese whatever the interface's language (docs/architecture.md, "Language").
__i18n_exempt__ = ("LEGAL_BASIS", "_DECISIONS", "APPEAL_NOTICE", "_date_cn", "compose", "render_docx")
# The article of 《中华人民共和国政府信息公开条例》 (2019) each reply rests on, and what the letter says.
# The mapping of result rows to articles follows the spec's reading (statutory-rules.md §2.4).
LEGAL_BASIS: dict[str, str] = {
    ReplyKind.DISCLOSED: "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
    ReplyKind.PARTLY_DISCLOSED: "《中华人民共和国政府信息公开条例》第三十七条",
    ReplyKind.WITHHELD_STATE_SECRET: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    ReplyKind.WITHHELD_PROHIBITED_BY_LAW: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    ReplyKind.WITHHELD_THREE_SECURITIES: "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项",
    ReplyKind.WITHHELD_THIRD_PARTY: "《中华人民共和国政府信息公开条例》第十五条、第三十二条、第三十六条第（三）项",
    ReplyKind.WITHHELD_INTERNAL_AFFAIRS: "《中华人民共和国政府信息公开条例》第十六条第一款、第三十六条第（三）项",
    ReplyKind.WITHHELD_PROCESS_INFORMATION: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    ReplyKind.WITHHELD_ENFORCEMENT_FILES: "《中华人民共和国政府信息公开条例》第十六条第二款、第三十六条第（三）项",
    ReplyKind.WITHHELD_QUERY_MATTERS: "《中华人民共和国政府信息公开条例》第三十六条第（七）项",
    ReplyKind.UNAVAILABLE_NOT_HELD: "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项",
    ReplyKind.UNAVAILABLE_NEEDS_CREATION: "《中华人民共和国政府信息公开条例》第三十八条",
    ReplyKind.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION: "《中华人民共和国政府信息公开条例》第三十条",
    ReplyKind.NOT_PROCESSED_PETITION: "《中华人民共和国政府信息公开条例》第三十九条第一款",
    ReplyKind.NOT_PROCESSED_REPEAT: "《中华人民共和国政府信息公开条例》第三十六条第（六）项",
    ReplyKind.NOT_PROCESSED_PUBLICATION: "《中华人民共和国政府信息公开条例》第三十九条第二款",
    ReplyKind.NOT_PROCESSED_EXCESSIVE: "《中华人民共和国政府信息公开条例》第三十五条",
    ReplyKind.NOT_PROCESSED_CONFIRMATION: "《中华人民共和国政府信息公开条例》第三十八条、第三十九条",
    ReplyKind.OTHER_NO_CORRECTION: "《中华人民共和国政府信息公开条例》第三十条",
    ReplyKind.OTHER_FEE_UNPAID: "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）",
    ReplyKind.OTHER_MISC: "《中华人民共和国政府信息公开条例》",
}

# What the letter decides, per reply kind; {subject} is the information the applicant asked for.
_DECISIONS: dict[str, str] = {
    ReplyKind.DISCLOSED: "经审查，您申请公开的“{subject}”属于可以公开的政府信息，本机关决定予以公开。",
    ReplyKind.PARTLY_DISCLOSED: "经审查，您申请公开的“{subject}”中含有不应当公开的内容，但能够作区分处理，本机关决定部分公开：向您提供可以公开的内容，对不予公开的部分说明理由如下。",
    ReplyKind.WITHHELD_STATE_SECRET: "经审查，您申请公开的“{subject}”属于国家秘密，依法不予公开。",
    ReplyKind.WITHHELD_PROHIBITED_BY_LAW: "经审查，您申请公开的“{subject}”属于法律、行政法规禁止公开的政府信息，依法不予公开。",
    ReplyKind.WITHHELD_THREE_SECURITIES: "经审查，您申请公开的“{subject}”公开后可能危及国家安全、公共安全、经济安全、社会稳定，依法不予公开。",
    ReplyKind.WITHHELD_THIRD_PARTY: "经审查，您申请公开的“{subject}”涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害，本机关已依法书面征求第三方意见，决定不予公开。",
    ReplyKind.WITHHELD_INTERNAL_AFFAIRS: "经审查，您申请公开的“{subject}”属于人事管理、后勤管理、内部工作流程等内部事务信息，本机关决定不予公开。",
    ReplyKind.WITHHELD_PROCESS_INFORMATION: "经审查，您申请公开的“{subject}”属于讨论记录、过程稿、磋商信函、请示报告等过程性信息，本机关决定不予公开。",
    ReplyKind.WITHHELD_ENFORCEMENT_FILES: "经审查，您申请公开的“{subject}”属于行政执法案卷信息，本机关决定不予公开。",
    ReplyKind.WITHHELD_QUERY_MATTERS: "经审查，您申请获取的“{subject}”属于行政查询事项，有关法律、行政法规对信息的获取有特别规定，请依照有关规定办理。",
    ReplyKind.UNAVAILABLE_NOT_HELD: "经检索，本机关未制作、获取您申请公开的“{subject}”，该政府信息不存在或不属于本机关负责公开。",
    ReplyKind.UNAVAILABLE_NEEDS_CREATION: "经审查，本机关没有您申请公开的“{subject}”的现成信息，需要对现有政府信息进行加工、分析方能形成，本机关不予提供。",
    ReplyKind.UNAVAILABLE_UNCLEAR_AFTER_CORRECTION: "本机关已告知您对申请作出补正，补正后申请内容仍不明确，本机关无法据此提供“{subject}”。",
    ReplyKind.NOT_PROCESSED_PETITION: "经审查，您以政府信息公开申请的形式提出的“{subject}”属于信访、投诉、举报等事项，本机关不作为政府信息公开申请处理，您可以通过相应渠道提出。",
    ReplyKind.NOT_PROCESSED_REPEAT: "本机关已就您申请公开的“{subject}”作出过答复，您重复申请公开相同政府信息，本机关不予重复处理。",
    ReplyKind.NOT_PROCESSED_PUBLICATION: "您申请获取的“{subject}”属于公开出版物，请通过公开发行渠道获取。",
    ReplyKind.NOT_PROCESSED_EXCESSIVE: "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求说明理由，经审查理由不合理，对“{subject}”的申请不予处理。",
    ReplyKind.NOT_PROCESSED_CONFIRMATION: "您的申请“{subject}”系要求本机关确认或者重新出具已获取的信息，不属于政府信息公开申请的处理范围，本机关不予处理。",
    ReplyKind.OTHER_NO_CORRECTION: "本机关已一次性告知您对申请“{subject}”作出补正并给予合理的补正期限，您无正当理由逾期未补正，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ReplyKind.OTHER_FEE_UNPAID: "本机关已就您的申请“{subject}”依法发出信息处理费收费通知，您逾期未缴纳费用，视为放弃申请，本机关不再处理该政府信息公开申请。",
    ReplyKind.OTHER_MISC: "关于您申请公开的“{subject}”，本机关处理如下。",
}

APPEAL_NOTICE = (
    "如对本答复不服，可以自收到本告知书之日起60日内依法申请行政复议，"
    "或者自收到本告知书之日起6个月内依法向人民法院提起行政诉讼。"
)


@dataclass(frozen=True)
class LetterFacts:
    """What a letter needs; assembled by `services` when the reply is recorded."""

    organisation_name: str
    office_name: str
    office_phone: str
    letter_number: str
    application_number: str
    applicant_name: str
    received_on: datetime.date
    subject: str
    reply_kind: str
    legal_basis: str
    content: str
    replied_on: datetime.date


def _date_cn(d: datetime.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


_NOT_WORDS = re.compile(r"[\s，,。.；;：:、“”\"'（）()]")


def _words(text: str) -> str:
    """Text reduced to its words (spacing and punctuation dropped), to tell whether two passages say the same."""
    return _NOT_WORDS.sub("", text)


def _repeats(decision: str, typed: list[str]) -> bool:
    """Whether the officer's own text already says the generated decision: it contains it, or opens with its first
    clause (after "经审查", the clause that follows it), e.g. "经审查，本机关没有您申请公开的……"."""
    clauses = [c for c in re.split(r"[，。]", decision) if c]
    opening = _words("".join(clauses[:2]) if clauses and clauses[0] == "经审查" else clauses[0] if clauses else "")
    said = _words(decision)
    return any(said in _words(p) or (opening and _words(p).startswith(opening)) for p in typed)


def compose(facts: LetterFacts) -> dict[str, Any]:
    """The frozen letter: title, number, salutation, paragraphs, signature and date (all text).

    Generated and typed text never repeat each other: the generated decision is left out when the officer's text
    already says it, and a typed paragraph that repeats an earlier one is dropped.
    """
    decision = _DECISIONS[facts.reply_kind].format(subject=facts.subject)
    typed = [p.strip() for p in facts.content.strip().splitlines() if p.strip()]
    paragraphs = [
        f"本机关于{_date_cn(facts.received_on)}收到您提出的政府信息公开申请（申请编号：{facts.application_number}）。"
        "现答复如下：",
    ]
    if not _repeats(decision, typed):
        paragraphs.append(decision)
    for paragraph in typed:
        if all(_words(paragraph) != _words(earlier) for earlier in paragraphs):
            paragraphs.append(paragraph)
    paragraphs.append(f"依据：{facts.legal_basis}。")
    paragraphs.append(APPEAL_NOTICE)
    if facts.office_phone:
        paragraphs.append(f"联系电话：{facts.office_phone}。")
    return {
        "title": "政府信息公开申请答复告知书",
        "number": facts.letter_number,
        "salutation": f"{facts.applicant_name}：",
        "paragraphs": paragraphs,
        "signature": facts.organisation_name,
        "date": _date_cn(facts.replied_on),
        "kind_label": str(ReplyKind(facts.reply_kind).label),
    }


def render_docx(letter: dict[str, Any]) -> bytes:
    """The letter as a Word document (A4, 仿宋-style body in the CJK font the reader has)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    doc = new_docx(body_font="仿宋", body_size=16)

    def para(text: str, *, align: Any = None, bold: bool = False, size: int = 16, indent: bool = False) -> None:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(size * 2)
        run = p.add_run(text)
        run.bold = bold
        run.font.size = Pt(size)

    para(letter["signature"], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=22)
    para(letter["title"], align=WD_ALIGN_PARAGRAPH.CENTER, bold=True, size=22)
    para(letter["number"], align=WD_ALIGN_PARAGRAPH.CENTER)
    para(letter["salutation"])
    for text in letter["paragraphs"]:
        para(text, indent=True)
    # The signature block (organisation, seal space, date) never splits, nor leaves the last paragraph behind:
    # the last paragraph, the space and the organisation each keep with the next.
    doc.paragraphs[-1].paragraph_format.keep_with_next = True
    para("")
    para(letter["signature"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    para(letter["date"], align=WD_ALIGN_PARAGRAPH.RIGHT)
    for block in doc.paragraphs[-3:]:
        block.paragraph_format.keep_together = True
    for block in doc.paragraphs[-3:-1]:
        block.paragraph_format.keep_with_next = True
    return docx_bytes(doc)


def render_pdf(letter: dict[str, Any]) -> bytes:
    """The letter as PDF through WeasyPrint, from the template applications/letter.html."""
    return html_to_pdf(render_to_string("applications/letter.html", {"letter": letter, "type": css_context()}))


LETTER_FORMATS = ("pdf", "docx")


def render(letter: dict[str, Any], fmt: str) -> bytes:
    """The letter as `fmt` (one of LETTER_FORMATS)."""
    if fmt == "pdf":
        return render_pdf(letter)
    if fmt == "docx":
        return render_docx(letter)
    raise ValueError(f"unknown letter format {fmt!r}")
