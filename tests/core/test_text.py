"""Rich-text sanitising against hostile input, and the plain text and links of a body."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gongkai.core.text import (
    attribute_texts,
    fold_for_matching,
    html_to_text,
    links_in,
    mark_spans,
    sanitize_html,
)

# Vectors in the style of the OWASP XSS filter evasion cheat sheet.
XSS_VECTORS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=http://xss.rocks/xss.js></SCRIPT>",
    "<scr<script>ipt>alert(1)</scr</script>ipt>",
    '<IMG SRC="javascript:alert(\'XSS\');">',
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    '<IMG SRC="jav\tascript:alert(\'XSS\');">',
    '<IMG SRC="jav&#x09;ascript:alert(\'XSS\');">',
    '<IMG SRC="jav&#x0A;ascript:alert(\'XSS\');">',
    '<IMG SRC=" &#14;  javascript:alert(\'XSS\');">',
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74>",
    '<IMG """><SCRIPT>alert("XSS")</SCRIPT>">',
    "<img src=x onerror=alert(1)>",
    '<img src="/attachments/3/" onload="alert(1)">',
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<BODY ONLOAD=alert('XSS')>",
    '<a href="javascript:alert(1)">点我</a>',
    '<a href="  javascript:alert(1)">点我</a>',
    '<a href="java&#0000106;script:alert(1)">点我</a>',
    '<a href="vbscript:msgbox(1)">点我</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">点我</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<IFRAME SRC="javascript:alert(1);"></IFRAME>',
    '<iframe src="/items/12/"></iframe>',
    '<OBJECT TYPE="text/x-scriptlet" DATA="http://xss.rocks/scriptlet.html"></OBJECT>',
    '<EMBED SRC="http://xss.rocks/xss.swf">',
    '<META HTTP-EQUIV="refresh" CONTENT="0;url=javascript:alert(1);">',
    '<LINK REL="stylesheet" HREF="javascript:alert(1);">',
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    '<DIV STYLE="background-image: url(javascript:alert(1))">x</DIV>',
    '<p style="width: expression(alert(1));">x</p>',
    '<BASE HREF="javascript:alert(1);//">',
    '<form action="javascript:alert(1)"><button>提交</button></form>',
    '<input onfocus=alert(1) autofocus>',
    '<details open ontoggle=alert(1)>',
    "<!--[if gte IE 4]><SCRIPT>alert(1);</SCRIPT><![endif]-->",
    '<a href="#" onclick="alert(1)">x</a>',
    '<TABLE BACKGROUND="javascript:alert(1)"><TD BACKGROUND="javascript:alert(1)">x</TD></TABLE>',
    "<xss onafterscriptexecute=alert(1)><script>1</script>",
    '"><script>alert(1)</script>',
]

_DANGER = re.compile(
    r"<\s*(script|style|iframe|object|embed|meta|link|base|form|input|svg|math|body|details)\b"
    r"|\son[a-z]+\s*="
    r"|(javascript|vbscript|data)\s*:"
    r"|expression\s*\(",
    re.IGNORECASE,
)


@pytest.mark.parametrize("vector", XSS_VECTORS)
def test_hostile_input_is_neutralised(vector: str) -> None:
    cleaned = sanitize_html(vector)
    assert not _DANGER.search(cleaned), cleaned
    assert sanitize_html(cleaned) == cleaned  # stable: cleaning twice changes nothing


@given(st.text(alphabet=st.sampled_from(list("<>\"'=/ :;&#aejrstvcipxlnoOS()")), max_size=120))
def test_random_markup_never_yields_scripts_or_handlers(value: str) -> None:
    cleaned = sanitize_html(value)
    assert not re.search(r"<\s*script|\son[a-z]+\s*=", cleaned, re.IGNORECASE)


@given(st.lists(st.sampled_from(XSS_VECTORS), min_size=1, max_size=4), st.text(max_size=40))
def test_vectors_combined_with_text_are_neutralised(vectors: list[str], text: str) -> None:
    assert not _DANGER.search(sanitize_html(text.join(vectors)))


def test_editor_formatting_is_kept() -> None:
    html = (
        '<h2>一、总体要求</h2><h3>（一）指导思想</h3><p style="text-align: center;">正文<strong>加粗</strong>'
        "<em>斜体</em><u>下划线</u></p><ul><li>一</li></ul><ol><li>二</li></ol><blockquote>引文</blockquote>"
        '<table><caption>表1</caption><thead><tr><th colspan="2" scope="col">项目</th></tr></thead>'
        '<tbody><tr><td rowspan="2">甲</td><td>1</td></tr><tr><td>2</td></tr></tbody></table>'
    )
    cleaned = sanitize_html(html)
    for fragment in (
        "<h2>一、总体要求</h2>", "<h3>", 'style="text-align:center"', "<strong>加粗</strong>", "<em>",
        "<u>", "<ul><li>一</li></ul>", "<ol>", "<blockquote>", "<caption>表1</caption>",
        '<th colspan="2" scope="col">', '<td rowspan="2">',
    ):
        assert fragment in cleaned, fragment


@pytest.mark.parametrize(
    "href",
    ["/items/12/", "/items/12/?page=2&amp;q=a", "/columns/gkzn/#part2", "#top", "?page=3", "items/3/",
     "https://www.gov.cn/zhengce/", "http://example.org/a.pdf", "mailto:gkb@example.gov.cn"],
)
def test_allowed_links_survive(href: str) -> None:
    cleaned = sanitize_html(f'<a href="{href}">链接</a>')
    assert f'href="{href}"' in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


@pytest.mark.parametrize("href", ["//evil.example/x", "/\\evil.example/x", "ftp://example.org/x", "tel:110"])
def test_protocol_relative_and_other_schemes_lose_their_href(href: str) -> None:
    assert "href" not in sanitize_html(f'<a href="{href}">链接</a>')


@pytest.mark.parametrize("src", ["/attachments/12/", "https://www.gov.cn/a.jpg", "http://example.org/b.gif"])
def test_allowed_images_survive(src: str) -> None:
    cleaned = sanitize_html(f'<img src="{src}" alt="示意图" width="300" height="200">')
    assert f'src="{src}"' in cleaned and 'alt="示意图"' in cleaned and 'width="300"' in cleaned


@pytest.mark.parametrize("src", ["/workspace/items/1/delete/", "relative.png", "//evil.example/a.png",
                                 "data:image/png;base64,iVBORw0KGgo="])
def test_other_image_sources_are_dropped(src: str) -> None:
    assert "src=" not in sanitize_html(f'<img src="{src}">')


def test_style_is_limited_to_layout_properties() -> None:
    cleaned = sanitize_html('<p style="text-align:right;color:red;position:fixed">x</p>')
    assert "text-align:right" in cleaned
    assert "color" not in cleaned and "position" not in cleaned


def test_spans_must_be_small_numbers() -> None:
    cleaned = sanitize_html('<table><tr><td colspan="abc" rowspan="999999">x</td></tr></table>')
    assert "colspan" not in cleaned and "rowspan" not in cleaned


def test_none_and_empty() -> None:
    assert sanitize_html(None) == ""
    assert sanitize_html("") == ""


def test_html_to_text() -> None:
    html = (
        "<h2>标题</h2><p>第一段&nbsp;<b>粗体</b>&amp;更多</p><script>alert('x')</script><style>p{}</style>"
        "<table><tr><td>甲</td><td>乙</td></tr></table><ul><li>一</li><li>二</li></ul>文末<br>另起"
    )
    assert html_to_text(html) == "标题\n第一段 粗体&更多\n甲 乙\n一\n二\n文末\n另起"


def test_html_to_text_of_broken_markup() -> None:
    assert html_to_text("<p>未闭合<b>粗体") == "未闭合粗体"
    assert html_to_text(None) == ""


def test_links_in_reads_every_href_decoded() -> None:
    html = '<a href="/a?x=1&amp;y=2">1</a><A HREF=/b>2</A><a>3</a><a href=\'https://e.org\'>4</a>'
    assert links_in(html) == ["/a?x=1&y=2", "/b", "https://e.org"]


def test_attribute_texts() -> None:
    html = '<a href="mailto:a@b.cn" title="联系">x</a><img src="/attachments/3/" alt="说明">'
    assert attribute_texts(html) == ["mailto:a@b.cn", "联系", "/attachments/3/", "说明"]


@given(st.text(max_size=100))
def test_fold_for_matching_keeps_length(text: str) -> None:
    assert len(fold_for_matching(text)) == len(text)


def test_fold_for_matching() -> None:
    assert fold_for_matching("ＡＢＣ abc XYZ　１２") == "abc abc xyz 12"


# ---- marking places of the plain text in the HTML ---------------------------------------------------------

def test_mark_spans_marks_the_characters_the_plain_text_names() -> None:
    body = "<p>申请人&nbsp;张三，<b>电话</b>：13812345678。</p><table><tr><td>甲</td><td>乙&amp;丙</td></tr></table>"
    text = html_to_text(body)
    start = text.index("13812345678")
    marked = mark_spans(body, [(start, start + 11, "f1"), (text.index("乙&丙"), text.index("乙&丙") + 3, "f2")])
    assert '<mark class="finding" data-finding="f1">13812345678</mark>' in marked
    assert '<mark class="finding" data-finding="f2">乙&amp;丙</mark>' in marked
    assert html_to_text(marked) == text


def test_a_span_across_tags_becomes_one_mark_per_run() -> None:
    body = "<p>号码<b>1101</b>0519491231002X</p>"
    text = html_to_text(body)
    marked = mark_spans(body, [(2, 20, "id")])
    assert marked.count("<mark") == 2 and html_to_text(marked) == text


@given(
    st.lists(st.text(alphabet="甲乙 ab1&<>\xa0", min_size=1, max_size=8), min_size=1, max_size=6),
    st.lists(st.sampled_from(["p", "b", "td", "li", "span"]), min_size=6, max_size=6),
    st.data(),
)
def test_marks_never_change_the_text_and_cover_the_span(parts: list[str], tags: list[str], data: st.DataObject) -> None:
    import html as html_module

    body = "".join(f"<{tag}>{html_module.escape(part)}</{tag}>" for part, tag in zip(parts, tags, strict=False))
    text = html_to_text(body)
    if not text:
        return
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    marked = mark_spans(body, [(start, end, "x")])
    assert html_to_text(marked) == text
    inside = "".join(re.findall(r'<mark class="finding" data-finding="x">(.*?)</mark>', marked))
    assert html_to_text(f"<p>{inside}</p>").replace(" ", "") == text[start:end].replace("\n", "").replace(" ", "")


@given(st.text(alphabet="甲 a1&;#x41<>/pbrdvtl\"'=\xa0\t\n\r\u2028", max_size=60))
def test_the_fast_plain_text_is_the_text_marks_are_placed_in(html_like: str) -> None:
    from gongkai.core.text import _collect, _plain

    assert html_to_text(html_like) == _plain(_collect(html_like, track_origins=True))[0]


def test_alignment_classes_are_kept_and_no_other() -> None:
    html = ('<p class="ta-center evil">甲</p><h2 class="ta-right">乙</h2><td class="x">丙</td>'
            '<li class="ta-justify">丁</li><span class="ta-center">戊</span>')
    clean = sanitize_html(html)
    assert '<p class="ta-center">甲</p>' in clean and '<h2 class="ta-right">乙</h2>' in clean
    assert '<li class="ta-justify">丁</li>' in clean
    assert "evil" not in clean and 'class="x"' not in clean and "<span>戊</span>" in clean
