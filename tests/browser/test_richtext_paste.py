"""The rich-text editor as staff use it: a notice pasted from Word and from WPS (the clipboard flavours each puts
on the clipboard, tests/browser/clipboard/) keeps its headings, lists, merged-cell table, link and picture all the
way to the public page; the picture is stored as the item's own and shown only once the item is public. A PDF
attachment holding an identity number is flagged at submission, naming the file and the page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from gongkai.catalog.models import Attachment, Item
from gongkai.orgs.models import Organisation
from gongkai.review import services as review_services
from gongkai.review.models import Decision
from gongkai.review.selectors import review_state
from tests.browser.bureau import log_in, make_bureau
from tests.core.factories import minimal_pdf

CLIPBOARD = Path(__file__).parent / "clipboard"
ALL_CHECKS = {f: True for f in Decision.CHECK_FIELDS}
# A paste event as the browser fires it for Ctrl+V, carrying what the office program put on the clipboard.
PASTE = """([html, rtf]) => {
  const data = new DataTransfer();
  data.setData('text/html', html);
  if (rtf) data.setData('text/rtf', rtf);
  data.setData('text/plain', '');
  const editable = document.querySelector('.ck-editor__editable');
  editable.focus();
  editable.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
}"""


@pytest.fixture
def bureau(transactional_db: Any) -> Organisation:
    return make_bureau()


def start_item(page: Any, title: str) -> None:
    page.goto("/workspace/items/new/")
    page.locator(".ck-editor__editable").wait_for()
    page.get_by_label("栏目").select_option(label="通知公告")
    page.get_by_role("textbox", name="标题").fill(title)


def approve_all(item: Item) -> None:
    submission = review_state(item).submission
    assert submission is not None
    for username in ("reviewer", "secrecy", "approver"):
        task = submission.tasks.get(status="pending")
        review_services.decide(get_user_model().objects.get(username=username), task, action="approve",
                               checks=ALL_CHECKS)


@pytest.mark.parametrize("source", ["word", "wps"])
def test_a_notice_pasted_from_an_office_program_reaches_the_public_page_intact(
    page: Any, bureau: Organisation, screenshot: Any, source: str
) -> None:
    title = f"关于组织申报2026年度科技创新券的通知（{source}）"
    refused: list[str] = []  # what the page's Content-Security-Policy refused, as the console reports it
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    log_in(page, "editor")
    start_item(page, title)
    page.evaluate(PASTE, [(CLIPBOARD / f"{source}.html").read_text(encoding="utf-8"),
                          (CLIPBOARD / f"{source}.rtf").read_text(encoding="ascii")])
    # The picture is read from the RTF flavour and uploaded; the editor then points it at the site.
    page.locator('.ck-editor__editable img[src^="/attachments/"]').wait_for()
    assert page.locator(".richtext-messages").is_hidden()
    assert refused == []  # no inline style, no <style>, nothing the policy refuses while pasting and uploading
    screenshot(f"{source}-pasted")
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存").wait_for()

    item = Item.objects.get(title=title)
    body = item.body
    assert "mso-" not in body and "<o:p" not in body and "file:" not in body and "MsoNormal" not in body
    # Centred text keeps its alignment as a class: the public page's Content-Security-Policy refuses style attributes.
    assert 'class="ta-center"' in body and "style=" not in body
    # The pasted h1 becomes an h2: the item's title is the page's only h1. (WPS also makes its headings bold.)
    assert re.search(r"<h2[^>]*>(<strong>)?关于组织申报2026年度科技创新券的通知", body)
    assert re.search(r"<h2>(<strong>)?一、申报条件", body) and "<strong>申报截止日期为2026年12月31日</strong>" in body
    assert re.search(r"<ol>\s*<li>在本市注册的科技型中小企业；</li>", body)
    assert re.search(r"<ul>\s*<li>申报材料须加盖单位公章；</li>", body)
    assert re.search(r'<a href="https://kjj.mingchuan.gov.cn/kjcxq/" rel="noopener noreferrer">(<u>)?科技创新券服务平台', body)
    [picture] = Attachment.objects.filter(purpose=Attachment.Purpose.BODY_IMAGE)
    assert picture.item_id == item.pk and picture.mime_type == "image/png"
    with picture.file.open("rb") as stored:
        png = stored.read()
    # The document's picture: 96 x 64 (under a Content-Security-Policy the browser may re-encode it on the way).
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[16:24] == (96).to_bytes(4, "big") + (64).to_bytes(4, "big")

    # Before sign-off the picture is nobody's business but the office's.
    anonymous = Client()
    assert anonymous.get(f"/attachments/{picture.pk}/").status_code == 404

    page.goto(f"/workspace/items/{item.pk}/")
    page.get_by_role("button", name="送审").click()
    page.get_by_text("已送审").wait_for()
    approve_all(item)

    page.context.clear_cookies()
    page.goto(item.get_absolute_url())
    article = page.locator("#article-body")
    merged_rows = article.locator("td[rowspan='2']")
    merged_columns = article.locator("td[colspan='2']")
    assert merged_rows.inner_text().strip() == "类别" and merged_columns.inner_text().strip() == "支持额度"
    assert article.locator("tr").count() == 4 and article.locator("td").count() == 10
    image = article.locator(f"img[src='/attachments/{picture.pk}/']")
    assert image.evaluate("img => img.complete && img.naturalWidth") == 96
    assert article.get_by_role("link", name="科技创新券服务平台").get_attribute("href") == "https://kjj.mingchuan.gov.cn/kjcxq/"
    response = anonymous.get(f"/attachments/{picture.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert "attachment" not in response.get("Content-Disposition", "")
    screenshot(f"{source}-public")


def test_thirty_megabytes_of_pasted_pictures_are_refused_whole(page: Any, bureau: Organisation) -> None:
    log_in(page, "editor")
    start_item(page, "大图测试")
    page.evaluate("""() => {
      const picture = 'data:image/png;base64,' + 'A'.repeat(40 * 1024 * 1024);
      const data = new DataTransfer();
      data.setData('text/html', '<p>说明文字</p><p><img src="' + picture + '"></p>');
      const editable = document.querySelector('.ck-editor__editable');
      editable.focus();
      editable.dispatchEvent(new ClipboardEvent('paste', {clipboardData: data, bubbles: true, cancelable: true}));
    }""")
    message = page.locator(".richtext-messages")
    message.wait_for()
    assert "30 MB" in message.inner_text() and "已取消粘贴" in message.inner_text()
    assert "说明文字" not in page.locator(".ck-editor__editable").inner_text()
    assert not Attachment.objects.exists()


def test_a_pdf_attachment_holding_an_id_number_is_flagged_at_submission(
    page: Any, bureau: Organisation, tmp_path: Path, screenshot: Any
) -> None:
    pdf = tmp_path / "申报名单.pdf"
    pdf.write_bytes(minimal_pdf("Applicant Zhang San, ID 110105 19491231 002X"))
    log_in(page, "editor")
    start_item(page, "科技创新券申报名单公示")
    page.locator(".ck-editor__editable").fill("现将申报名单公示如下，详见附件。")
    page.get_by_label("附件").set_input_files(str(pdf))
    page.get_by_role("button", name="保存草稿").click()
    page.get_by_text("草稿已保存").wait_for()
    page.get_by_role("button", name="送审").click()
    page.get_by_text("已送审").wait_for()
    finding = page.locator(".findings li").first
    text = finding.inner_text()
    assert "附件“申报名单.pdf” 第1页" in text and "身份证号码" in text
    assert "19491231" not in page.content()  # the number never shows, only its masked form
    screenshot("flagged")


def test_where_pictures_have_no_place_the_paste_keeps_the_rest_and_says_so(page: Any, bureau: Organisation) -> None:
    log_in(page, "editor")
    page.goto("/workspace/interaction/consultations/new/")
    page.locator(".ck-editor__editable").first.wait_for()
    page.evaluate(PASTE.replace("document.querySelector('.ck-editor__editable')",
                                "document.querySelectorAll('.ck-editor__editable')[0]"),
                  [(CLIPBOARD / "word.html").read_text(encoding="utf-8"), (CLIPBOARD / "word.rtf").read_text(encoding="ascii")])
    message = page.locator(".richtext-messages").first
    message.wait_for()
    assert "不能插入图片" in message.inner_text()
    editable = page.locator(".ck-editor__editable").first
    assert editable.locator("td[colspan='2']").inner_text().strip() == "支持额度"
    assert editable.locator("img").count() == 0
