"""Segmentation, normalisation, document-number keys and the query parser (pure functions)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search import analysis as T


def test_policy_title_segments_into_dictionary_words():
    assert T.segment("高新技术企业认定管理办法") == ["高新技术", "企业", "认定", "管理", "办法"]


def test_index_text_keeps_the_original_for_display():
    original = "关于印发《高新技术企业认定管理办法》的通知"
    assert T.display(T.index_text(original)) == original
    assert T.SEP in T.index_text(original)


def test_subwords_let_a_part_of_a_long_word_match():
    assert set(T.subwords("高新技术")) == {"高新", "技术"}
    assert "技术" in T.extra_text("高新技术企业认定管理办法").split()


def test_full_width_and_case_are_folded():
    assert T.normalise("ＡＢＣ１２３") == "abc123"


def test_document_number_keys_agree_whatever_the_brackets_and_spaces():
    keys = {T.document_number_key(v) for v in ["银科发〔2019〕10号", "银科发[2019]10号", "银科发〔2019〕10 号",
                                               "银科发【2019】10号", "银科发（2019）10号", "银科发 [2019] 10号"]}
    assert len(keys) == 1 and next(iter(keys)).startswith("dn")
    assert T.document_number_key("银科发〔2019〕10号") != T.document_number_key("银科发〔2019〕11号")
    assert T.document_number_key("银科发〔2019〕10号") != T.document_number_key("银科发〔2018〕10号")
    assert T.document_number_key("   ") == ""


def test_cited_document_numbers_are_found_in_text():
    keys = T.document_numbers_in("根据《银科发〔2019〕10号》和国办发[2020]3号文件精神")
    assert T.document_number_key("银科发〔2019〕10号") in keys
    assert T.document_number_key("国办发〔2020〕3号") in keys


def test_query_with_quotes_has_a_phrase_and_its_words():
    q = T.parse_query('“营商环境” 通知')
    assert q.phrases == ("营商环境",)
    assert [t.word for t in q.terms] == ["营商", "环境", "通知"]


def test_document_number_query_is_recognised():
    q = T.parse_query("银科发〔2019〕10 号")
    assert q.document_number == T.document_number_key("银科发〔2019〕10号")
    assert not T.parse_query("高新技术").document_number


def test_fts_syntax_is_split_off_as_punctuation():
    q = T.parse_query('a* OR (b) NEAR ^c:d "')
    assert all(t.word.isalnum() for t in q.terms)
    assert [t.word for t in q.terms] == ["a", "or", "b", "near", "c", "d"]


def test_long_queries_are_cut_and_say_so():
    q = T.parse_query("政府" * 5000)
    assert q.truncated and len(q.text) == T.MAX_QUERY_CHARS
    assert len(q.terms) <= T.MAX_TERMS


def test_empty_and_blank_queries_are_empty():
    assert T.parse_query("").is_empty
    assert T.parse_query(None).is_empty
    assert T.parse_query("  ，。！ ").is_empty


@settings(max_examples=300)
@given(st.text(max_size=400))
def test_any_text_parses_to_plain_words(raw):
    q = T.parse_query(raw)
    assert len(q.text) <= T.MAX_QUERY_CHARS
    for term in q.terms:
        assert term.word and all(ch.isalnum() or ch == "_" for ch in term.word)
        assert all(w and all(ch.isalnum() or ch == "_" for ch in w) for w in term.alternatives)


def test_highlighting_maps_matches_back_to_the_original_characters():
    from gongkai.search import highlight

    query = T.parse_query("gdp iii")
    assert highlight.mark_original("第Ⅲ期ＧＤＰ核算", highlight.needles(query)) == (
        f"第{T.MARK_START}Ⅲ{T.MARK_END}期{T.MARK_START}ＧＤＰ{T.MARK_END}核算")
    assert highlight.mark_original("No match here", ["gdp"]) == "No match here"


def test_snippets_centre_on_the_most_needles_and_say_where_they_are_cut():
    from gongkai.search import highlight

    body = T.index_text("开头" * 100 + "这里说到高新技术企业和认定。" + "结尾" * 100)
    snippet = highlight.snippet(body, highlight.needles(T.parse_query("高新技术企业 认定")))
    shown = snippet.replace(T.MARK_START, "").replace(T.MARK_END, "")
    assert shown.startswith("…") and shown.endswith("…") and len(shown) <= highlight.SNIPPET_CHARS + 2
    assert f"{T.MARK_START}高新技术企业{T.MARK_END}" in snippet and f"{T.MARK_START}认定{T.MARK_END}" in snippet
    assert highlight.snippet(body, ["不存在"]) == ""


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60), st.text(max_size=10))
def test_highlighting_never_changes_the_text_it_marks(title, raw):
    from gongkai.search import highlight

    marked = highlight.mark_original(title, highlight.needles(T.parse_query(raw)))
    assert marked.replace(T.MARK_START, "").replace(T.MARK_END, "") == title


# Any character, with the ones query parsing treats specially often enough that they meet.
QUERY_CHARACTERS = st.one_of(st.sampled_from(list('"“”＂_＿ *^:()-+\'\\\x01\x1f\t政府公开a1')), st.characters())


@settings(max_examples=500)
@given(st.text(QUERY_CHARACTERS, max_size=80))
def test_a_query_that_searches_gives_both_engines_an_expression(raw):
    """An empty MATCH is a syntax error in FTS5 and an empty tsquery matches nothing: a query that is not
    empty has words for the word index and, when it has runs or phrases, n-grams for the n-gram index."""
    from gongkai.search.backends import PostgresBackend, SQLiteBackend

    query = T.parse_query(raw)
    if query.is_empty:
        return
    for words, grams in ((SQLiteBackend().match_expression, SQLiteBackend().grams_expression),
                         (PostgresBackend().tsquery, PostgresBackend().grams_tsquery)):
        assert words(query)
        if query.phrases or query.runs:
            assert grams(query)
