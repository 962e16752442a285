"""The scale seeder's synthetic bodies: pre-segmented sentences must join into what segmenting the whole
body gives, or seeded search documents would differ from indexed ones."""

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.demo import synthetic
from gongkai.search import analysis as T


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
