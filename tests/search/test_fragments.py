"""Fragments (a query that cuts through a segmented word), exact phrases, the ranking of whole words above
fragments, and highlighting in the original spelling; on whichever database the suite runs."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalog import services as catalog
from gongkai.search import analysis as T
from gongkai.search import services
from gongkai.search.models import SearchDocument
from gongkai.search.selectors import search


def titles(results):
    return [h.title for h in results.hits]


def test_queries_that_cut_through_words_find_their_items(world):
    bureau = world.publish(world.kjj, "明川市科学技术局关于开展科技活动周的通知", "")
    voucher = world.publish(world.kjj, "关于申领创新券的通知", "<p>企业可申领科技创新券。</p>")
    firms = world.publish(world.kjj, "高新技术企业认定工作指引", "")
    world.publish(world.kjj, "无关的工作动态", "<p>今天召开会议。</p>")
    assert [h.object_id for h in search("学技术局").hits] == [bureau.pk]
    assert [h.object_id for h in search("新券").hits] == [voucher.pk]
    assert [h.object_id for h in search("新技术企").hits] == [firms.pk]
    assert [h.object_id for h in search("“新技术企”").hits] == [firms.pk]
    assert [h.object_id for h in search("券").hits] == [voucher.pk]  # one character, inside a word


def test_a_fragment_of_the_body_or_an_attachment_or_a_document_number(world):
    body = world.publish(world.kjj, "一份通知", "<p>对弄虚作假骗取补贴资金的，依法追回资金。</p>")
    numbered = world.publish(world.kjj, "另一份通知", "", document_number="银科发〔2019〕10号")
    assert titles(search("作假骗")) == [body.title]
    assert titles(search("科发")) == [numbered.title]


def test_whole_word_matches_rank_above_fragment_matches(world):
    now = timezone.now()
    # 科技术语 is cut 科技 / 术语: 技术 only straddles the two words. Newer, so recency alone would put it first.
    fragment = world.publish(world.kjj, "科技术语规范工作", "", when=now - dt.timedelta(hours=1))
    word_in_body = world.publish(world.kjj, "会议纪要", "<p>推广先进技术。</p>", when=now - dt.timedelta(days=2))
    word_in_title = world.publish(world.kjj, "技术合同登记办法", "", when=now - dt.timedelta(days=3))
    inside_word = world.publish(world.kjj, "高新技术企业名单", "", when=now - dt.timedelta(days=4))
    assert [h.object_id for h in search("技术").hits] == [word_in_title.pk, inside_word.pk, word_in_body.pk, fragment.pk]


def test_fragments_are_looked_for_only_beyond_the_whole_word_candidates(world, monkeypatch):
    from gongkai.search import backends, selectors

    monkeypatch.setattr(backends, "CANDIDATES", 2)
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    now = timezone.now()
    world.publish(world.kjj, "科技术语规范工作", "", when=now - dt.timedelta(hours=1))
    first = world.publish(world.kjj, "技术合同登记办法", "", when=now - dt.timedelta(days=2))
    second = world.publish(world.kjj, "技术市场管理办法", "", when=now - dt.timedelta(days=3))
    results = search("技术")
    assert [h.object_id for h in results.hits] == [first.pk, second.pk] and results.total_is_lower_bound


def test_fragments_found_among_the_newest_documents_are_the_newest_of_all(world, monkeypatch):
    """PostgreSQL looks for n-gram matches among the newest RECENT_ROWS documents first; with too few there,
    among all of them. Either way the newest matches come back."""
    from gongkai.search import backends, selectors

    monkeypatch.setattr(backends, "CANDIDATES", 2)
    monkeypatch.setattr(selectors, "CANDIDATES", 2)
    monkeypatch.setattr(backends, "RECENT_ROWS", 3)
    now = timezone.now()
    # Published in time order, as a catalog grows (SQLite's newest are the last indexed).
    old = [world.publish(world.kjj, f"关于申领创新券的通知（第{n}批）", "", when=now - dt.timedelta(days=10 - n))
           for n in range(3)]
    for n in range(3):
        world.publish(world.kjj, f"工作动态{n}", "", when=now - dt.timedelta(hours=8 - n))
    monkeypatch.setitem(backends._recent, "at", -1e9)  # read the newest documents' time again
    assert [h.object_id for h in search("新券").hits] == [old[2].pk, old[1].pk]  # none among the newest 3
    new = [world.publish(world.kjj, f"创新券兑付公示（{n}）", "", when=now - dt.timedelta(hours=2 - n)) for n in range(2)]
    monkeypatch.setitem(backends._recent, "at", -1e9)
    assert [h.object_id for h in search("新券").hits] == [new[1].pk, new[0].pk]


def test_quoted_phrases_match_the_exact_string_wherever_it_occurs(world):
    in_title = world.publish(world.kjj, "持续优化营商环境若干措施", "")
    in_body = world.publish(world.kjj, "工作要点", "<p>今年要进一步优化营商环境。</p>")
    world.publish(world.kjj, "营商主体与生态环境", "<p>优化服务。</p>")  # every word, never the string
    with_punctuation = world.publish(world.kjj, "通办清单", "<p>推进“一网通办”“跨省通办”。</p>")
    assert sorted(h.object_id for h in search('"优化营商环境"').hits) == sorted([in_title.pk, in_body.pk])
    assert search('"优化营商环境"').hits[0].object_id == in_title.pk  # the title first
    assert [h.object_id for h in search('"一网通办" "跨省通办"').hits] == [with_punctuation.pk]  # two phrases
    assert [h.object_id for h in search("“一网通办”“跨省通办”").hits] == [with_punctuation.pk]
    assert [h.object_id for h in search('"网通办”“跨省"').hits] == [with_punctuation.pk]
    assert search('"营商环境优化"').hits == []


def test_highlighted_titles_keep_their_original_spelling(world):
    world.publish(world.kjj, "关于GDP核算与ＡＩ应用的通知", "<p>GDP 统计口径说明。</p>")
    hit = search("gdp ai").hits[0]
    assert str(hit.title_html) == "关于<mark>GDP</mark>核算与<mark>ＡＩ</mark>应用的通知"
    assert "<mark>gdp</mark>" in str(hit.snippet_html)  # snippets show the indexed (folded) text
    fragment = search("学技术").hits
    assert fragment == []
    world.publish(world.kjj, "科学技术局工作要点", "")
    assert str(search("学技术").hits[0].title_html) == "科<mark>学技术</mark>局工作要点"


def test_withdrawing_and_editing_keep_the_fragment_index_in_step(world):
    item = world.publish(world.kjj, "关于申领创新券的通知", "")
    assert titles(search("新券")) == [item.title]
    catalog.withdraw_item(world.editor, item, "内容已过时失效")
    assert search("新券").hits == []
    assert SearchDocument.objects.count() == 0
    other = world.publish(world.kjj, "关于申领科技券的通知", "")
    assert titles(search("技券")) == [other.title] and search("新券").hits == []


def test_reindex_gives_the_fragments_back(world):
    from django.core.management import call_command

    world.publish(world.kjj, "关于申领创新券的通知", "<p>科学技术局受理。</p>")
    before = [(h.object_id, str(h.title_html), str(h.snippet_html)) for h in search("学技术局").hits]
    services.clear()
    assert search("学技术局").hits == [] and search("新券").hits == []
    call_command("reindex", workers=0)
    assert [(h.object_id, str(h.title_html), str(h.snippet_html)) for h in search("学技术局").hits] == before
    assert titles(search("新券")) == ["关于申领创新券的通知"]


def _index(title: str, body: str, object_id: int) -> None:
    now = timezone.now() - dt.timedelta(minutes=1)
    services.index_document(services.DocumentInput(
        kind="item", object_id=object_id, url=f"/items/{object_id}/", title=title, body=body, published_at=now,
        go_live_at=now, organisation_id=1, organisation_path="0001", organisation_name="某局"))


HAN = "科学技术局创新券高新企业认定管理办法通知关于印发优化营商环境工作要点"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=st.text(alphabet=st.sampled_from(list(HAN + "ABCabc123，。 ")), min_size=1, max_size=30),
       body=st.text(alphabet=st.sampled_from(list(HAN + "xyz9、（）\n")), max_size=80),
       data=st.data())
def test_any_substring_of_a_title_or_body_finds_its_item(db, title, body, data):
    title = " ".join(title.split()) or "标题"  # a query's spaces are single, and a title's (a body keeps its lines)
    services.clear()
    _index(title, body, 1)
    text = data.draw(st.sampled_from([title, body]))
    start = data.draw(st.integers(0, len(text)))
    fragment = text[start:data.draw(st.integers(start, min(len(text), start + 8)))]
    query = T.parse_query(fragment)
    if query.is_empty or not query.runs:
        return
    assert [h.object_id for h in search(fragment).hits] == [1], fragment
    assert [h.object_id for h in search(f'"{fragment.strip()}"').hits] == [1], fragment


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=st.sampled_from(list('"“”*^:()-+NEARORANDNOT{}[]\'\\;% 科学技术局创新券〔〕09号_\u200b\ue000')),
                   max_size=60))
def test_hostile_fragments_and_phrases_never_fail(world, raw):
    results = search(raw)
    assert results.page == 1 and connection.vendor in {"sqlite", "postgresql"}


@pytest.mark.django_db(transaction=True)
def test_reindex_with_worker_processes_builds_what_publishing_built(world):
    from django.core.management import call_command
    from django.db import transaction

    for n in range(5):
        with transaction.atomic():
            world.publish(world.kjj, f"关于申领创新券的第{n}号通知", f"<p>科学技术局受理第{n}批申请。</p>")
    columns = ["kind", "object_id", "title", "s_title", "s_docno", "s_body", "s_attachments", "s_extra"]
    before = list(SearchDocument.objects.order_by("object_id").values_list(*columns))
    results = [(h.object_id, str(h.snippet_html)) for h in search("学技术局").hits]
    call_command("reindex", workers=1, batch=2)
    assert list(SearchDocument.objects.order_by("object_id").values_list(*columns)) == before
    assert [(h.object_id, str(h.snippet_html)) for h in search("学技术局").hits] == results
    assert len(search("新券").hits) == 5
