"""Pre-publication checks: personal data, sensitive words, dead internal links."""

from __future__ import annotations

import itertools
import random
import time

import pytest
from django.test import override_settings
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.files import Extraction
from gongkai.review.prechecks import (
    AttachmentText,
    FindingKind,
    LinkStatus,
    PrecheckFinding,
    SensitiveWordMatcher,
    classify_link,
    parse_word_list,
    run_prechecks,
)

SITE = "https://gk.example.gov.cn"
VALID_ID = "11010519491231002X"


def check(
    title: str = "",
    body: str = "",
    attachments: str = "",
    words: tuple[str, ...] = (),
    links: dict[str, LinkStatus | bool] | None = None,
) -> list[PrecheckFinding]:
    checker = None if links is None else (lambda url: links.get(url, LinkStatus.NOT_FOUND))
    files = (AttachmentText(7, "附件.txt", Extraction(text=attachments)),) if attachments else ()
    return run_prechecks(
        title=title, body_html=body, attachments=files, sensitive_words=words, link_checker=checker, site_url=SITE,
    )


def codes(findings: list[PrecheckFinding]) -> list[tuple[str, str, str]]:
    return [(f.location, f.kind, f.code) for f in findings]


# ---- personal data ------------------------------------------------------------------------------------------

def test_clean_item_has_no_findings() -> None:
    body = "<p>根据银科发〔2019〕10号文件，2024-01-05召开会议，索引号11640100MB1234567X/2024-00012。</p>"
    assert check("关于开展2024年科技计划申报的通知", body, "附件一：申报指南", words=("法轮功",), links={}) == []


def test_personal_data_in_every_location_is_found_and_masked() -> None:
    findings = check(
        title="张三（13812345678）的答复",
        body=f"<p>身份证号 {VALID_ID}</p><p>卡号 6222 0212 3456 7890 128</p>",
        attachments="联系邮箱 zhangsan@example.com，电话 0571-87654321",
    )
    assert codes(findings) == [
        ("标题", "personal_data", "mobile"),
        ("正文", "personal_data", "resident_id"),
        ("正文", "personal_data", "bank_card"),
        ("附件“附件.txt”", "personal_data", "email"),
        ("附件“附件.txt”", "personal_data", "landline"),
    ]
    everything = " ".join(f.excerpt + f.message for f in findings)
    for raw in ("13812345678", "19491231", "0212 3456 7890", "zhangsan@", "87654321"):
        assert raw not in everything
    assert "138****5678" in findings[0].excerpt
    assert "身份证号码" in findings[1].message


def test_personal_data_hidden_in_link_addresses_is_found_once() -> None:
    body = '<p><a href="mailto:zhangsan@example.com">写信</a> <a href="tel:13812345678">来电</a></p>'
    findings = check(body=body)
    assert sorted(f.code for f in findings) == ["email", "mobile"]
    assert all("zhangsan@" not in f.excerpt and "13812345678" not in f.excerpt for f in findings)
    body = '<p>邮箱 <a href="mailto:zhangsan@example.com">zhangsan@example.com</a></p>'
    assert [f.code for f in check(body=body)] == ["email"]


def test_script_content_is_not_text() -> None:
    assert check(body="<script>var phone = '13812345678';</script><p>正文</p>") == []


# ---- sensitive words ----------------------------------------------------------------------------------------

def test_parse_word_list() -> None:
    text = "# 敏感词表\n法轮功\n\n  台独  \nFalun # 英文\nfalun\nＦＡＬＵＮ\n法轮功\n#只是注释\n"
    assert parse_word_list(text) == ["法轮功", "台独", "Falun"]
    assert parse_word_list("") == []


def test_sensitive_words_in_title_and_body_case_insensitive() -> None:
    findings = check(
        title="关于FALUN问题的说明",
        body="<p>台独言论。<b>法轮</b>功，再次出现台独。</p>",
        attachments="附件中的台独也检查",
        words=("台独", "falun", "法轮功"),
    )
    assert codes(findings) == [
        ("标题", "sensitive_word", "sensitive_word"),
        ("正文", "sensitive_word", "sensitive_word"),
        ("正文", "sensitive_word", "sensitive_word"),
        ("附件“附件.txt”", "sensitive_word", "sensitive_word"),
    ]
    assert "falun" in findings[0].message and "FALUN" in findings[0].excerpt
    assert "台独" in findings[1].message and "2 处" in findings[1].message
    assert "法轮功" in findings[2].message  # bold markup in the middle of a word does not hide it


def test_longest_word_wins_and_matches_do_not_overlap() -> None:
    matcher = SensitiveWordMatcher(["中国", "中国人", "国人民"])
    assert matcher.find("中国人民") == [(0, 3, "中国人")]
    assert matcher.find("中国") == [(0, 2, "中国")]
    assert matcher.find("中") == []
    assert not SensitiveWordMatcher(["", "  "])


def test_excerpt_of_a_sensitive_word_masks_personal_data_around_it() -> None:
    [personal, word] = check(body="<p>举报人13812345678称敏感事件</p>", words=("敏感事件",))
    assert word.kind == FindingKind.SENSITIVE_WORD
    assert "138****5678" in word.excerpt and "13812345678" not in word.excerpt
    assert personal.kind == FindingKind.PERSONAL_DATA


@given(
    st.lists(st.text(alphabet="甲乙丙丁abAB", min_size=1, max_size=4), min_size=1, max_size=20),
    st.text(alphabet="甲乙丙丁abAB ，", max_size=200),
)
def test_matcher_agrees_with_a_naive_search(words: list[str], text: str) -> None:
    matches = SensitiveWordMatcher(words).find(text)
    folded_words = {w.lower() for w in words}
    for start, end, word in matches:
        assert text[start:end].lower() == word.lower()
    # Every occurrence of a word overlaps some match (none is missed).
    for w in folded_words:
        pos = text.lower().find(w)
        while pos != -1:
            assert any(s < pos + len(w) and pos < e for s, e, _ in matches), (w, pos)
            pos = text.lower().find(w, pos + 1)
    for (_, e1, _), (s2, _, _) in itertools.pairwise(matches):
        assert e1 <= s2


def test_five_thousand_words_over_twenty_thousand_characters_is_fast() -> None:
    rng = random.Random(2024)
    alphabet = [chr(c) for c in range(0x4E00, 0x4E00 + 3000)]
    words = ["".join(rng.choices(alphabet, k=rng.randint(2, 5))) for _ in range(5000)]
    body = "<p>" + "".join(rng.choices(alphabet, k=20_000)) + words[17] + "</p>"
    run_prechecks(title="", body_html="", sensitive_words=words, link_checker=None, site_url=SITE)  # build once
    started = time.perf_counter()
    findings = run_prechecks(title="标题", body_html=body, sensitive_words=words, link_checker=None, site_url=SITE)
    elapsed = time.perf_counter() - started
    assert any(words[17] in f.message for f in findings)
    assert elapsed < 1.0, elapsed  # measured ≈ 0.01 s; the bound only catches an accidental quadratic


# ---- links --------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("/items/12/", ("internal", "/items/12/")),
        ("/items/12/?page=2#top", ("internal", "/items/12/?page=2")),
        ("items/3/", ("internal", "/items/3/")),
        ("https://gk.example.gov.cn/items/5/", ("internal", "/items/5/")),
        ("http://GK.example.gov.cn:80/items/5/", ("internal", "/items/5/")),
        ("//gk.example.gov.cn/items/6/", ("internal", "/items/6/")),
        ("https://gk.example.gov.cn", ("internal", "/")),
        ("https://www.gov.cn/zhengce/", ("external", "https://www.gov.cn/zhengce/")),
        ("https://gk.example.gov.cn:8443/x", ("external", "https://gk.example.gov.cn:8443/x")),
        ("//evil.example/x", ("external", "//evil.example/x")),
        ("#part2", ("other", "#part2")),
        ("mailto:a@b.cn", ("other", "mailto:a@b.cn")),
        ("javascript:alert(1)", ("other", "javascript:alert(1)")),
        ("http://gk.example.gov.cn:99999/", ("other", "http://gk.example.gov.cn:99999/")),
    ],
)
def test_classify_link(href: str, expected: tuple[str, str]) -> None:
    assert classify_link(href, site_url=SITE) == expected


def test_dead_internal_links_are_reported_and_external_ones_not_fetched() -> None:
    asked: list[str] = []
    statuses: dict[str, LinkStatus | bool] = {"/items/1/": LinkStatus.OK, "/items/2/": LinkStatus.NOT_PUBLIC, "/items/4/": True, "/items/5/": False}

    def checker(url: str) -> LinkStatus | bool:
        asked.append(url)
        return statuses.get(url, LinkStatus.NOT_FOUND)

    body = (
        '<a href="/items/1/">好</a><a href="/items/2/">草稿</a><a href="/items/3/">不存在</a>'
        '<a href="https://gk.example.gov.cn/items/3/#x">重复</a><a href="/items/4/">好</a>'
        '<a href="/items/5/">坏</a><a href="https://www.gov.cn/">外部</a><a href="#top">锚点</a>'
    )
    findings = run_prechecks(
        title="", body_html=body, sensitive_words=[], link_checker=checker, site_url=SITE
    )
    assert asked == ["/items/1/", "/items/2/", "/items/3/", "/items/4/", "/items/5/"]  # each address once
    assert [(f.kind, f.code, f.excerpt) for f in findings] == [
        ("dead_link", "not_public", "/items/2/"),
        ("dead_link", "not_found", "/items/3/"),
        ("dead_link", "unreachable", "/items/5/"),
    ]
    assert all(f.location == "正文" for f in findings)
    assert "尚未公开或已撤稿" in findings[0].message and "不存在" in findings[1].message


def test_no_link_checker_means_no_link_findings() -> None:
    assert check(body='<a href="/nowhere/">x</a>') == []


@override_settings(SITE_URL="https://zw.example.cn")
def test_site_url_defaults_to_settings() -> None:
    asked: list[str] = []

    def checker(url: str) -> bool:
        asked.append(url)
        return True

    run_prechecks(
        title="", body_html='<a href="https://zw.example.cn/a/">x</a><a href="https://gk.example.gov.cn/b/">y</a>',
        sensitive_words=[], link_checker=checker,
    )
    assert asked == ["/a/"]


# ---- order and shape ----------------------------------------------------------------------------------------

def test_order_is_deterministic_by_location_kind_position() -> None:
    body = '<p>敏感词在前，电话13812345678在后</p><a href="/gone/">x</a>'
    findings = check(title="敏感词", body=body, attachments=VALID_ID, words=("敏感词",), links={})
    assert codes(findings) == [
        ("标题", "sensitive_word", "sensitive_word"),
        ("正文", "personal_data", "mobile"),
        ("正文", "sensitive_word", "sensitive_word"),
        ("正文", "dead_link", "not_found"),
        ("附件“附件.txt”", "personal_data", "resident_id"),
    ]
    assert findings == check(title="敏感词", body=body, attachments=VALID_ID, words=("敏感词",), links={})


def test_findings_are_frozen_and_serialisable() -> None:
    [finding] = check(title="13812345678")
    with pytest.raises(AttributeError):
        finding.code = "x"  # type: ignore[misc]
    assert finding.as_dict() == {
        "kind": "personal_data", "code": "mobile", "message": finding.message,
        "excerpt": "138****5678", "location": "标题", "position": 0, "area": "title", "start": 0, "end": 11,
        "attachment_ref": None, "attachment_name": "", "place": "",
    }
    assert len(finding.message) <= 300 and len(finding.excerpt) <= 300


# ---- where each finding is ----------------------------------------------------------------------------------

def test_findings_carry_area_offsets_and_attachment() -> None:
    pdf = Extraction(text="第一页文字\n申请人 110105 19491231 002X", places=((0, "第1页"), (6, "第2页")))
    findings = run_prechecks(
        title="关于13812345678的通知", summary="概述 13912345678", body_html="<p>正文<b>电话</b> 13712345678</p>",
        attachments=(AttachmentText(41, "名单.pdf", pdf),), sensitive_words=(), link_checker=None, site_url=SITE,
    )
    shapes = [(f.area, f.location, f.start, f.end, f.attachment_ref, f.attachment_name, f.place) for f in findings]
    assert shapes == [
        ("title", "标题", 2, 13, None, "", ""),
        ("summary", "内容概述", 3, 14, None, "", ""),
        ("body", "正文", 5, 16, None, "", ""),
        ("attachment", "附件“名单.pdf”", 10, 30, 41, "名单.pdf", "第2页"),
    ]
    assert pdf.text[10:30] == "110105 19491231 002X"


def test_unreadable_attachments_are_findings_a_person_must_clear() -> None:
    scanned = AttachmentText(1, "扫描件.pdf", Extraction(problem="no_text", unread=("第1页",)))
    partly = AttachmentText(2, "部分扫描.pdf", Extraction(text="文字", places=((0, "第1页"),), problem="partial",
                                                      unread=("第2页", "第3页")))
    locked = AttachmentText(3, "加密.pdf", Extraction(problem="encrypted"))
    photo = AttachmentText(4, "现场.jpg", Extraction(problem="unsupported"), type_label="JPEG 图片")
    findings = run_prechecks(
        title="", body_html="", attachments=(scanned, partly, locked, photo), sensitive_words=(), link_checker=None,
    )
    assert [(f.kind, f.code, f.attachment_ref) for f in findings] == [
        ("unchecked_attachment", "no_text", 1),
        ("unchecked_attachment", "partial", 2),
        ("unchecked_attachment", "encrypted", 3),
        ("unchecked_attachment", "unsupported", 4),
    ]
    assert "扫描件.pdf" in findings[0].message and "人工查看" in findings[0].message
    assert "第2页、第3页" in findings[1].message and findings[1].place == "第2页、第3页"
    assert "密码" in findings[2].message
    assert "JPEG 图片" in findings[3].message


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("咨询电话：0951-1234567。", ["0951-1234567"], []),
        ("咨询电话：（0951）1234567转8001。", ["0951 1234567"], []),
        ("咨询电话：0951-1234567，联系人手机13812345678。", ["0951-1234567"], ["mobile"]),
        ("值班手机 +86 138 1234 5678", ["13812345678"], []),
        ("咨询电话：0951-7654321。", ["0951-1234567"], ["landline"]),
    ],
)
def test_the_organisations_published_numbers_are_not_findings(
    text: str, published: list[str], expected: list[str]
) -> None:
    findings = run_prechecks(
        title="", body_html=f"<p>{text}</p>", sensitive_words=(), link_checker=None, published_numbers=published,
    )
    assert [f.code for f in findings] == expected
