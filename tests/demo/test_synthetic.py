"""The scale seeder's synthetic bodies: pre-segmented sentences must join into what segmenting the whole
body gives, or seeded search documents would differ from indexed ones; the same for their n-grams."""

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.demo import synthetic
from gongkai.search import analysis as T
from gongkai.search.services import DocumentInput, document_fields

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@settings(max_examples=200)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_body_segments_equal_segmenting_the_whole_body(seed: int) -> None:
    text, parts = synthetic.body(random.Random(seed), paragraphs=(1, 9))
    assert parts == T.segmented(text)


def test_every_pool_sentence_ends_where_the_segmenter_cuts() -> None:
    for sentence in synthetic.SENTENCE_POOL:
        assert sentence.endswith("。")
        assert T.segment(sentence + sentence) == T.segment(sentence) * 2


def test_bodies_have_realistic_length() -> None:
    rng = random.Random(7)
    lengths = sorted(len(synthetic.body(rng)[0]) for _ in range(300))
    assert lengths[0] >= 150 and lengths[-1] <= 4000
    assert 600 <= lengths[len(lengths) // 2] <= 2000


@settings(max_examples=100)
@given(seed=st.integers(min_value=0, max_value=2**32))
def test_the_seeders_n_grams_are_those_indexing_makes(seed: int) -> None:
    """The seeder hands document_fields its n-gram text ready-made (document_grams): the same grams, each once."""
    rng = random.Random(seed)
    text, _, mask = synthetic.body_parts(rng, paragraphs=(1, 9))
    title, title_grams = synthetic.titled(rng, news=rng.random() < 0.4)
    number = synthetic.document_number(rng, rng.randint(2015, 2026)) if rng.random() < 0.5 else ""
    fast = synthetic.document_grams(title_grams, number, mask).split()
    document = DocumentInput(kind="item", object_id=1, url="/items/1/", title=title, body=text,
                             document_number=number, published_at=NOW, go_live_at=NOW, organisation_id=1,
                             organisation_path="0001", organisation_name="省政府")
    assert len(fast) == len(set(fast))
    assert set(fast) == set(document_fields(document)["grams"].split())
