"""Public and staff pages of 政民互动 through the test client: forms keep what was typed, nothing leaks."""

from __future__ import annotations

import datetime as dt
import random
import re
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gongkai.interaction import challenge, services
from gongkai.interaction.models import Comment, Letter
from tests.interaction.factories import Staff, answer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_wait(settings: Any) -> None:
    settings.GONGKAI_FORM_MIN_SECONDS = 0


def solve(html: str) -> dict[str, str]:
    """Read the challenge off the page as a person would."""
    token = re.search(r'name="challenge_token" value="([^"]+)"', html)
    question = re.search(r'<label[^>]*for="id_challenge_answer">(.+?)等于几？', html)
    assert token and question
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")}
    left, op, right = re.match(r"(.+?)(加|减)(.+)", question.group(1)).groups()  # type: ignore[union-attr]

    def num(text: str) -> int:
        if "十" in text:
            tens, _, ones = text.partition("十")
            return (digits[tens] if tens else 1) * 10 + (digits[ones] if ones else 0)
        return digits[text]

    value = num(left) + num(right) if op == "加" else num(left) - num(right)
    return {"challenge_token": token.group(1), "challenge_answer": str(value), "website": ""}


def letter_post(org_code: str, **overrides: str) -> dict[str, str]:
    data = {
        "organisation": org_code, "kind": "consult", "subject": "咨询科技特派员申报",
        "body": "请问科技特派员如何申报？我的手机13812345678。", "name": "张三",
        "email": "zhangsan@example.test", "phone": "", "consent_to_publish": "on",
    }
    data.update(overrides)
    return data


def _answer(ch: challenge.Challenge) -> str:
    return str(eval(ch.question.replace("等于几？", "").translate(str.maketrans({"加": "+", "减": "-"}))  # noqa: S307
                    .translate(str.maketrans("一二三四五六七八九", "123456789"))))


@pytest.mark.django_db
def test_challenge_rules(settings: Any) -> None:
    settings.GONGKAI_FORM_MIN_SECONDS = 3
    ch = challenge.new_challenge(now=1000.0, rng=random.Random(1))
    answer_value = _answer(ch)
    with pytest.raises(ValidationError, match="过快"):
        challenge.verify(ch.token, answer_value, now=1000.5)
    with pytest.raises(ValidationError, match="过期"):
        challenge.verify(ch.token, answer_value, now=1000 + 3 * 3600)
    with pytest.raises(ValidationError, match="刷新"):
        challenge.verify(ch.token, answer_value, "http://spam.example", now=1010)
    with pytest.raises(ValidationError, match="无效"):
        challenge.verify(ch.token[:-2] + "xx", answer_value, now=1010)
    challenge.verify(ch.token, answer_value, now=1010)
    wrong = challenge.new_challenge(now=1000.0, rng=random.Random(2))
    with pytest.raises(ValidationError, match="错误"):
        challenge.verify(wrong.token, str(int(_answer(wrong)) + 1), now=1010)
    with pytest.raises(ValidationError, match="已使用"):  # one answer per question: no trying every sum
        challenge.verify(wrong.token, _answer(wrong), now=1011)
    # The token carries a keyed hash of the answer, never the numbers of the question.
    assert set(challenge.signing.loads(ch.token, salt=challenge.SALT)) == {"h", "n", "t"}


def test_write_track_and_read_the_published_letter(staff: Staff, client: Client) -> None:
    page = client.get(reverse("interact:write"))
    assert page.status_code == 200
    response = client.post(reverse("interact:write"), {**letter_post(staff.org.code), **solve(page.content.decode())})
    assert response.status_code == 302
    receipt = client.get(response["Location"]).content.decode()
    number = re.search(r'id="tracking-number">([^<]+)<', receipt).group(1)  # type: ignore[union-attr]
    secret = re.search(r'id="tracking-secret">([^<]+)<', receipt).group(1)  # type: ignore[union-attr]
    assert client.get(reverse("interact:written")).status_code == 302  # the secret is shown once only

    tracked = client.post(reverse("interact:track"), {"tracking_number": number, "secret": secret})
    assert "待分办" in tracked.content.decode()
    wrong = client.post(reverse("interact:track"), {"tracking_number": number, "secret": "guess"})
    assert wrong.status_code == 400 and "不正确" in wrong.content.decode()

    letter = Letter.objects.get(tracking_number=number)
    answer(staff, letter, "张三您好：请登录科技特派员系统申报。")
    letter.refresh_from_db()
    services.publish_letter(staff.editor, letter, expected_version=letter.lock_version,
                            **services.suggested_public_version(letter))
    listing = client.get(reverse("interact:letters")).content.decode()
    local_received = timezone.localtime(letter.received_at)
    assert f"（留言时间：{local_received:%Y-%m-%d %H:%M}）" in listing
    assert f"（答复时间：{timezone.localtime(letter.answered_at):%Y-%m-%d %H:%M}）" in listing  # type: ignore[arg-type]
    detail = client.get(reverse("interact:letter", kwargs={"pk": letter.pk})).content.decode()
    assert "请登录科技特派员系统申报" in detail
    for personal in ("张三", "13812345678", "zhangsan@example.test"):
        assert personal not in detail and personal not in listing
    assert "张*" in detail


def test_wrong_answer_keeps_everything_typed(staff: Staff, client: Client) -> None:
    page = client.get(reverse("interact:write")).content.decode()
    data = {**letter_post(staff.org.code, body="一封很长的信，不能丢。"), **solve(page)}
    data["challenge_answer"] = "99"
    response = client.post(reverse("interact:write"), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "回答错误" in html and "一封很长的信，不能丢。" in html and "咨询科技特派员申报" in html
    assert Letter.objects.count() == 0


def test_oversized_and_script_letters(staff: Staff, client: Client) -> None:
    page = client.get(reverse("interact:write")).content.decode()
    long_body = "长" * 5200
    response = client.post(reverse("interact:write"), {**letter_post(staff.org.code, body=long_body), **solve(page)})
    html = response.content.decode()
    assert response.status_code == 400 and "5200" in html and long_body in html
    page = client.get(reverse("interact:write")).content.decode()
    script = "<script>alert('x')</script>"
    response = client.post(reverse("interact:write"), {**letter_post(staff.org.code, subject=script), **solve(page)})
    assert response.status_code == 302
    letter = Letter.objects.get()
    client.force_login(staff.editor)
    staff_page = client.get(reverse("ws_interaction:letter", kwargs={"pk": letter.pk})).content.decode()
    assert script not in staff_page and "&lt;script&gt;" in staff_page


def test_a_solved_challenge_cannot_be_replayed(staff: Staff, client: Client) -> None:
    """A solved mailbox challenge was replayed to post more letters."""
    solved = solve(client.get(reverse("interact:write")).content.decode())
    first = client.post(reverse("interact:write"), {**letter_post(staff.org.code), **solved})
    assert first.status_code == 302
    for subject in ("第二封", "第三封"):
        again = client.post(reverse("interact:write"), {**letter_post(staff.org.code, subject=subject), **solved})
        assert again.status_code == 400 and "已使用过" in again.content.decode()
        assert subject in again.content.decode()  # what was typed is kept, with a new question
    assert Letter.objects.count() == 1


def test_flood_is_told_to_wait(staff: Staff, client: Client, settings: Any) -> None:
    settings.GONGKAI_LETTERS_PER_HOUR = 1
    for expected in (302, 429):
        page = client.get(reverse("interact:write")).content.decode()
        response = client.post(reverse("interact:write"), {**letter_post(staff.org.code), **solve(page)})
        assert response.status_code == expected
    assert "过于频繁" in response.content.decode()


def test_comment_on_closed_consultation_is_refused_and_kept(staff: Staff, client: Client) -> None:
    today = timezone.localdate()
    c = services.create_consultation(staff.editor, staff.org, {
        "title": "征求意见", "explanation": "<p>说明</p>", "draft_text": "<p>正文</p>", "is_major": False,
        "starts_on": today, "ends_on": today + dt.timedelta(days=10), "short_period_reason": "", "contact": "",
    })
    services.open_consultation(staff.editor, c, expected_version=c.lock_version)
    url = reverse("interact:consultation", kwargs={"pk": c.pk})
    page = client.get(url).content.decode()
    c.refresh_from_db()
    services.close_consultation(staff.editor, c, expected_version=c.lock_version)
    response = client.post(url, {"body": "我的意见很重要", "name": "", "email": "", **solve(page)})
    html = response.content.decode()
    assert response.status_code == 400
    assert "已于" in html and "结束" in html and "我的意见很重要" in html
    assert Comment.objects.count() == 0


def test_staff_inbox_flags_overdue_and_hides_contacts(staff: Staff, client: Client) -> None:
    old, _ = services.submit_letter(staff.org, services.LetterInput(
        kind="help", subject="求助", body="内容", name="钱七", phone="13900001111"),
        now=timezone.now() - dt.timedelta(days=40))
    client.force_login(staff.editor)
    inbox = client.get(reverse("ws_interaction:inbox")).content.decode()
    assert old.tracking_number in inbox and "已超期" in inbox
    detail = client.get(reverse("ws_interaction:letter", kwargs={"pk": old.pk})).content.decode()
    assert "13900001111" not in detail and "钱*" in detail
    revealed = client.get(reverse("ws_interaction:letter", kwargs={"pk": old.pk}) + "?reveal=1").content.decode()
    assert "13900001111" in revealed


def test_stale_close_form_is_refused_with_a_message(staff: Staff, client: Client) -> None:
    letter, _ = services.submit_letter(staff.org, services.LetterInput(
        kind="help", subject="求助", body="内容", name="钱七", phone="13900001111"))
    client.force_login(staff.editor)
    url = reverse("ws_interaction:letter_close", kwargs={"pk": letter.pk})
    assert client.post(url, {"reason": "重复提交的无效来信", "lock_version": letter.lock_version}).status_code == 302
    again = client.post(url, {"reason": "重复提交的无效来信", "lock_version": letter.lock_version})
    assert again.status_code == 400 and "已被他人处理" in again.content.decode()


def test_outsider_cannot_see_letters(staff: Staff, client: Client, make_org: Any) -> None:
    letter, _ = services.submit_letter(staff.org, services.LetterInput(
        kind="help", subject="求助", body="内容", name="钱七", phone="13900001111"))
    other = make_org("other", "其他局")
    client.force_login(other.editor)
    assert client.get(reverse("ws_interaction:letter", kwargs={"pk": letter.pk})).status_code == 404
    assert letter.tracking_number not in client.get(reverse("ws_interaction:inbox")).content.decode()
