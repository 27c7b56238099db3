"""The packaged word vectors and the mean-vector feature built on them."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from diplostance.features import WordVectorMean, build_vectorizer
from diplostance.word_vectors import load_word_vectors


@pytest.fixture(scope="module")
def vectors():
    return load_word_vectors()


def test_vectors_are_unit_length_unique_words(vectors):
    assert len(vectors.words) == len(set(vectors.words)) > 20000
    norms = np.linalg.norm(vectors.vectors.astype(np.float32), axis=1)
    assert np.allclose(norms, 1.0, atol=1e-2)
    assert "MiniLM" in vectors.source


@pytest.mark.parametrize("word, near, far", [
    ("expelled", "expel", "banana"),
    ("sanctions", "embargo", "football"),
    ("ambassador", "envoy", "volcano"),
    ("slashed", "cut", "praised"),
    ("restored", "resumed", "bombed"),
])
def test_vectors_put_related_words_closer(vectors, word, near, far):
    assert vectors.similarity(word, near) > vectors.similarity(word, far)


def test_mean_vector_rows_are_unit_or_zero():
    mean = WordVectorMean().fit(["the minister recalled the ambassador", "troops shelled"])
    out = mean.transform(["the envoy was recalled", "", "zzzz qqqq"]).toarray()
    assert out.shape == (3, load_word_vectors().dims)
    assert np.linalg.norm(out[0]) == pytest.approx(1.0, abs=1e-5)
    assert not out[1].any() and not out[2].any()


def test_words_unseen_in_training_still_count():
    """A word the training texts never used moves the vector (the point of the feature)."""
    mean = WordVectorMean().fit(["the minister recalled the ambassador"])
    a, b = mean.transform(["they imposed sanctions", "they imposed tariffs"]).toarray()
    assert not np.allclose(a, b)


def test_pickle_keeps_only_idf_weights_and_the_vectors_hash():
    mean = WordVectorMean().fit(["peru recalled its ambassador"])
    before = mean.transform(["chile withdrew its envoy"]).toarray()
    blob = pickle.dumps(mean)
    assert len(blob) < 8 * len(load_word_vectors().words)  # IDF weights, not the vectors
    again = pickle.loads(blob)
    assert again.vectors_sha256_ == load_word_vectors().sha256
    assert np.array_equal(again.transform(["chile withdrew its envoy"]).toarray(), before)


def test_other_vectors_are_refused():
    mean = pickle.loads(pickle.dumps(WordVectorMean().fit(["peru recalled its ambassador"])))
    mean.vectors_sha256_ = "0" * 64
    with pytest.raises(ValueError, match="other word vectors"):
        mean.transform(["chile withdrew its envoy"])


def test_vectorizer_adds_the_head_vector_block():
    texts = ["Peru recalled its ambassador.", "Chile signed a trade deal with Peru."]
    without = build_vectorizer({"min_df": 1, "char_weight": 0}).fit_transform(texts)
    with_vec = build_vectorizer({"min_df": 1, "char_weight": 0,
                                 "vector_weight": 1.0}).fit_transform(texts)
    assert with_vec.shape[1] == without.shape[1] + load_word_vectors().dims


def test_predicate_is_the_words_after_the_first_actor():
    from diplostance.features import ArticlePreparer, predicate_of

    text = "ctry says ctry improved ties\n\nofficials in ctry said more. later words"
    assert predicate_of(text) == "says ctry improved ties said more"
    assert predicate_of("no actor here at all today", 3) == "no actor here"
    prepared = ArticlePreparer(predicate_words=4).transform(["Chile has improved relations "
                                                             "with Bolivia."])
    assert prepared[0, 2] == "has improved relations with"
    assert ArticlePreparer().transform(["Chile has improved relations."])[0, 2] == ""


def test_vectorizer_adds_the_predicate_vector_block():
    texts = ["Peru recalled its ambassador.", "Chile signed a trade deal with Peru."]
    base = {"min_df": 1, "char_weight": 0, "vector_weight": 1.0}
    without = build_vectorizer(base).fit_transform(texts)
    with_pred = build_vectorizer({**base, "predicate_weight": 1.0}).fit_transform(texts)
    assert with_pred.shape[1] == without.shape[1] + load_word_vectors().dims
