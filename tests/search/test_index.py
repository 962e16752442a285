"""The index through the catalog's publish and withdraw, and the one search interface over it."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalog import services as catalog
from gongkai.search import backends, selectors
from gongkai.search.models import SearchDocument
from gongkai.search.selectors import Filters, search


def titles(results):
    return [h.title for h in results.hits]


def test_publish_indexes_and_withdraw_unindexes(world):
    item = world.publish(world.kjj, "关于开展高新技术企业认定工作的通知", "<p>各有关单位：请按要求申报。</p>")
    assert titles(search("高新技术企业")) == [item.title]
    catalog.withdraw_item(world.editor, item, "内容已过时失效")
    assert SearchDocument.objects.count() == 0
    assert search("高新技术企业").hits == []


def test_a_failed_publish_leaves_no_index_entry(world):
    from django.db import transaction

    try:
        with transaction.atomic():
            world.publish(world.kjj, "回滚测试文件标题", "")
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    assert search("回滚测试").hits == []


def test_a_part_of_a_word_finds_the_whole(world):
    world.publish(world.kjj, "高新技术企业认定管理办法", "")
    assert titles(search("技术")) == ["高新技术企业认定管理办法"]
    assert titles(search("高新技术企业认定管理办法")) == ["高新技术企业认定管理办法"]


def test_body_and_attachment_text_are_searched_and_highlighted(world):
    item = world.publish(world.kjj, "一份通知", "<p>对弄虚作假骗取补贴资金的，依法追回资金。</p>")
    results = search("骗取补贴")
    assert titles(results) == ["一份通知"]
    snippet = str(results.hits[0].snippet_html)
    assert "<mark>骗取补贴</mark>" in snippet  # the query as typed, found as one stretch
    assert "\u200b" not in snippet and results.hits[0].url == item.get_absolute_url()


def test_snippets_escape_html_in_the_text(world):
    world.publish(world.kjj, "转义检查", "<p>比较 a &lt;script&gt; 标签 与 转义检查</p>")
    html = str(search("转义检查").hits[0].snippet_html)
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_document_number_finds_its_document_whatever_the_brackets(world):
    item = world.publish(world.kjj, "关于印发科技计划项目管理办法的通知", "", document_number="银科发〔2019〕10号")
    world.publish(world.kjj, "另一份文件", "", document_number="银科发〔2019〕11号")
    world.publish(world.kjj, "引用它的文件", "<p>根据银科发〔2019〕10号文件精神，制定本细则。</p>")
    for typed in ["银科发〔2019〕10号", "银科发[2019]10号", "银科发〔2019〕10 号", "银科发（2019）10号"]:
        found = titles(search(typed))
        assert found[0] == item.title, typed
        assert "另一份文件" not in found
        assert "引用它的文件" in found


def test_quoted_phrase_must_appear_verbatim(world):
    world.publish(world.kjj, "优化营商环境的实施意见", "")
    world.publish(world.kjj, "营商主体与生态环境", "")
    assert sorted(titles(search("营商 环境"))) == sorted(["优化营商环境的实施意见", "营商主体与生态环境"])
    assert titles(search('"营商环境"')) == ["优化营商环境的实施意见"]
    assert titles(search("“营商环境”")) == ["优化营商环境的实施意见"]


def test_relevance_first_then_recency(world):
    now = timezone.now()
    old = world.publish(world.kjj, "安全生产专项整治", "", when=now - dt.timedelta(days=30))
    new = world.publish(world.kjj, "安全生产专项整治", "", when=now - dt.timedelta(days=1))
    body_only = world.publish(world.kjj, "会议纪要", "<p>会上还讨论了安全生产。</p>", when=now - dt.timedelta(hours=1))
    assert titles(search("安全生产")) == [new.title, old.title, body_only.title]
    assert [h.object_id for h in search("安全生产").hits] == [new.pk, old.pk, body_only.pk]


def test_a_phrase_rare_among_matches_of_its_words_is_still_found(world, monkeypatch):
    # PostgreSQL looks among the newest documents first: make them too few to hold the phrase.
    monkeypatch.setattr(backends, "_walk_rows", lambda: 2)
    now = timezone.now()
    phrase = world.publish(world.kjj, "持续优化营商环境的意见", "", when=now - dt.timedelta(days=40))
    for n in range(7):
        world.publish(world.kjj, f"营商主体与生态环境第{n}号", "", when=now - dt.timedelta(days=n + 1))
    results = search('"营商环境"')
    assert [h.object_id for h in results.hits] == [phrase.pk]
    assert results.total == 1 and not results.total_is_lower_bound


def test_candidates_are_the_newest_matches_ranked_by_relevance_then_recency(world, monkeypatch):
    monkeypatch.setattr(backends, "CANDIDATES", 3)
    monkeypatch.setattr(selectors, "CANDIDATES", 3)
    now = timezone.now()
    world.publish(world.kjj, "河道管理通知", "", when=now - dt.timedelta(days=9))  # the oldest: left out
    in_body = world.publish(world.kjj, "会议纪要", "<p>会上讨论了河道管理。</p>", when=now - dt.timedelta(days=1))
    older = world.publish(world.kjj, "河道管理办法", "", when=now - dt.timedelta(days=3))
    newer = world.publish(world.kjj, "河道管理细则", "", when=now - dt.timedelta(days=2))
    results = search("河道管理")
    assert [h.object_id for h in results.hits] == [newer.pk, older.pk, in_body.pk]
    assert results.total == 3 and results.total_is_lower_bound
    phrased = search('"河道管理"')
    assert [h.object_id for h in phrased.hits] == [newer.pk, older.pk, in_body.pk]
    assert phrased.total_is_lower_bound


def test_the_walk_is_skipped_only_when_statistics_show_it_cannot_fill_the_candidates(monkeypatch):
    from gongkai.search import analysis

    frequencies = ({"通知": 0.3, "高新": 0.2, "技术": 0.4}, 0.001)
    monkeypatch.setattr(backends, "_lexeme_frequencies", lambda: frequencies)

    def could_be_common(raw: str) -> bool:
        return backends.PostgresBackend()._words_bound(analysis.parse_query(raw)) >= backends.CANDIDATES / 10_000

    assert could_be_common("通知")
    assert not could_be_common("通知 教养")  # an AND is as rare as its rarest word
    assert could_be_common("高新技术")  # not listed itself, but 高新 & 技术 may be common
    assert not could_be_common("银科发〔2019〕10号")
    frequencies = ({}, 0.0)  # no ANALYZE yet
    assert could_be_common("教养")


def test_scheduled_items_stay_hidden_until_their_time(world):
    later = timezone.now() + dt.timedelta(days=2)
    world.publish(world.kjj, "定时发布的养老服务通知", "", when=later)
    assert SearchDocument.objects.count() == 1
    assert search("养老服务").hits == []
    assert titles(search("养老服务", now=later + dt.timedelta(seconds=1))) == ["定时发布的养老服务通知"]


def test_filters_and_facets(world):
    world.publish(world.kjj, "科技项目申报通知", "", topic="11", genre="notice", validity="valid")
    world.publish(world.czj, "财政项目资金通知", "", topic="04", genre="notice", validity="expired")
    world.publish(world.root, "政府项目建设意见", "", topic="02", genre="opinion")
    results = search("项目")
    assert results.total == 3
    assert dict(results.facets["topic"]) == {"11": 1, "04": 1, "02": 1}
    assert dict(results.facets["genre"]) == {"notice": 2, "opinion": 1}
    assert dict(results.facets["organisation"]) == {str(world.kjj.pk): 1, str(world.czj.pk): 1, str(world.root.pk): 1}
    assert titles(search("项目", Filters(topic="04"))) == ["财政项目资金通知"]
    assert titles(search("项目", Filters(genre="opinion"))) == ["政府项目建设意见"]
    assert titles(search("项目", Filters(validity="expired"))) == ["财政项目资金通知"]
    assert titles(search("项目", Filters(organisation_path=world.kjj.path))) == ["科技项目申报通知"]
    assert len(search("项目", Filters(organisation_path=world.root.path)).hits) == 3
    assert titles(search("项目", Filters(column_ids=(world.columns["ycczj"].pk,)))) == ["财政项目资金通知"]
    year = timezone.localdate().year
    assert len(search("项目", Filters(year=year)).hits) == 3
    assert search("项目", Filters(year=year - 5)).hits == []


def test_pages(world):
    for n in range(5):
        world.publish(world.kjj, f"第{n}份乡村振兴文件", "")
    first = search("乡村振兴", page_size=2)
    assert len(first.hits) == 2 and first.has_next
    third = search("乡村振兴", page=3, page_size=2)
    assert len(third.hits) == 1 and not third.has_next
    seen = {h.object_id for p in (1, 2, 3) for h in search("乡村振兴", page=p, page_size=2).hits}
    assert len(seen) == 5
    assert search("乡村振兴", page=10_000).hits == [] and search("乡村振兴", page=10_000).notices
    assert search("乡村振兴", page=0).hits == []


def test_reindex_rebuilds_the_same_results(world, capsys):
    from django.core.management import call_command

    world.publish(world.kjj, "河长制工作方案", "<p>全面推行河长制。</p>", document_number="银科发〔2021〕7号")
    before = [(h.object_id, str(h.snippet_html)) for h in search("河长制").hits]
    SearchDocument.objects.all().delete()
    assert search("河长制").hits == []
    call_command("reindex", workers=0)
    assert [(h.object_id, str(h.snippet_html)) for h in search("河长制").hits] == before
    assert titles(search("银科发[2021]7号")) == ["河长制工作方案"]
    assert "item" in capsys.readouterr().out




def test_hostile_queries_give_answers_not_errors(world, hostile_queries):
    world.publish(world.kjj, "政府信息公开工作年度报告", "<p>title NEAR OR AND</p>")
    for raw in hostile_queries:
        results = search(raw)
        assert isinstance(results.hits, list)
    assert SearchDocument.objects.count() == 1
    assert titles(search("title:NEAR")) == ["政府信息公开工作年度报告"]
    assert connection.vendor in {"sqlite", "postgresql"}


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(alphabet=st.sampled_from(list('"*^:()-+NEARORANDNOT{}[]\'\\;% 政府公开高新技术〔〕0123456789号')), max_size=60))
def test_fuzzed_query_syntax_never_fails(world, raw):
    results = search(raw)
    assert results.page == 1


# Any character, with the ones query parsing treats specially (quotes, operators, underscores, spaces, control
# characters) often enough that they meet.
QUERY_CHARACTERS = st.one_of(st.sampled_from(list('"“”＂_＿ *^:()-+\'\\\x01\x1f\t政府公开a1')), st.characters())

# Queries whose only letters were underscores, beside a phrase without letters or digits: parsed into a
# word that no engine indexes and no n-gram, they once gave FTS5 an empty MATCH ("syntax error near ''").
EMPTY_EXPRESSION_QUERIES = ['"_"', '_ "!"', '__ "-"', '"\x01_"', '_\x1f"_"', '"_" "__"', '＿ "＂"']


def test_queries_that_once_built_an_empty_match_answer_nothing(world):
    world.publish(world.kjj, "下划线_测试", "<p>__ ! -</p>")
    world.publish(world.kjj, "普通测试")
    for raw in EMPTY_EXPRESSION_QUERIES:
        assert search(raw).hits == [], raw
    # Beside a word, such a phrase is still checked verbatim.
    assert sorted(titles(search("测试"))) == ["下划线_测试", "普通测试"]
    assert titles(search('测试 "_"')) == ["下划线_测试"]


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.text(QUERY_CHARACTERS, max_size=80))
def test_any_text_is_a_query(world, raw):
    """Whatever a person types (control characters, quotes, operators, any script), search answers."""
    results = search(raw)
    assert results.page == 1 and isinstance(results.hits, list)
