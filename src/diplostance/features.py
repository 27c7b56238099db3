"""Turn article text into features: masking, negation scope, headline weighting, n-grams.

The vectorizer is a scikit-learn ``Pipeline``: :class:`ArticlePreparer` rewrites each
article into (head, body, predicate) columns, then a ``ColumnTransformer`` of TF-IDF
vectorizers reads word n-grams of the whole article and word and character n-grams of its
head (headline and lede, where the primary action sits), and, optionally, the mean word
vector (:mod:`diplostance.word_vectors`) of the head and of the predicate: the few words
after the first actor, where the verb that decides the action usually sits ("reduced
military aid", "improved diplomatic relations").

Examples
--------
>>> prepare_article("Peru stopped short of severing ties with Mexico.", mask=True)
'ctry stopped short of neg_severing neg_ties with ctry.'
>>> vec = build_vectorizer({"head_words": 8})
>>> X = vec.fit_transform(["Peru recalled its ambassador.", "Chile signed a trade deal."])
>>> X.shape[0]
2
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import repeat
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import normalize

from .gazetteer import MASK, mask_actors, trie_pattern
from .word_vectors import TOKEN_PATTERN as VECTOR_TOKENS
from .word_vectors import load_word_vectors, vectors32

NEGATION_CUES = (
    "not", "never", "no", "n't", "without", "denied", "denies", "deny", "refused to",
    "declined to", "ruled out", "stopped short of", "stops short of", "short of",
    "refrained from", "avoided", "instead of", "rather than", "did not", "does not", "will not",
    "would not", "won't", "has not", "have not", "had not")
# A negation cue and the words it governs (up to three, stopping at punctuation). Applied to
# lower-cased text: case-insensitive matching costs three times as much. The cues are
# factored as a trie (a fifth faster than an alternation); as no cue is a prefix of another
# but "no" of "not", which both forms try longest first, the matches are the same.
_NEGATION = re.compile(r"\b(" + trie_pattern(sorted(NEGATION_CUES)) + r")"
                       r"((?:\s+[a-z][\w'-]*){1,3})")
_FUNCTION_WORDS = frozenset(
    "a an the its their his her to of any all be with from and or but in on for by that it "
    "this at as".split())


def _negate(match: re.Match[str]) -> str:
    words = match.group(2).split()
    marked = [w if w.lower() in _FUNCTION_WORDS else f"neg_{w}" for w in words]
    return f"{match.group(1)} {' '.join(marked)}"


def prepare_article(text: str, mask: bool = True, negation: bool = True) -> str:
    """Normalise one article: mask actor names, lower-case, mark words in the scope of a
    negation."""
    if mask:
        text = mask_actors(text)
    text = text.lower()
    if negation:
        text = _NEGATION.sub(_negate, text)
    return text


def head_of(text: str, n_words: int) -> str:
    """The first ``n_words`` words: the headline and lede of a composed article."""
    return " ".join(text.split(None, n_words)[:n_words])


def tfidf_transform(vectorizer: TfidfVectorizer, docs: Sequence[str]) -> Any:
    """``vectorizer.transform(docs)`` for a fitted vectorizer, with the same result but
    the term counting done in C: scikit-learn's analyzer reads each document, ``map``
    looks the terms up in the vocabulary and scipy sums the counts (scikit-learn counts
    term by term in a Python loop, which costs more than the tokenizing).
    """
    tfidf = getattr(vectorizer, "_tfidf", None)  # the fitted TfidfTransformer
    if not isinstance(vectorizer, TfidfVectorizer) or tfidf is None:  # the plain way
        return vectorizer.transform(docs)
    analyze = vectorizer.build_analyzer()
    lookup = vectorizer.vocabulary_.get
    terms: list[int] = []
    ends = [0]
    for doc in docs:
        terms.extend(map(lookup, analyze(doc), repeat(-1)))  # -1: not in the vocabulary
        ends.append(len(terms))
    columns = np.array(terms, dtype=np.int32)
    rows = np.repeat(np.arange(len(docs), dtype=np.int32), np.diff(ends))
    known = columns >= 0
    counts = sparse.csr_matrix(  # duplicates (repeated terms) are summed, indices sorted
        (np.ones(int(known.sum()), dtype=vectorizer.dtype), (rows[known], columns[known])),
        shape=(len(docs), len(vectorizer.vocabulary_)))
    counts.sum_duplicates()
    if vectorizer.binary:
        counts.data.fill(1)
    return tfidf.transform(counts, copy=False)


_PREDICATE_WORD = re.compile(r"[a-z][a-z'-]+")
_MASKED = MASK.lower()


def predicate_of(prepared: str, n_words: int = 6) -> str:
    """The words that follow the first actor in the headline and in the lede's first
    sentence of a prepared article: where the verb that decides the action sits.

    >>> predicate_of("ctry cuts aid to ctry\\n\\nctry on monday reduced military aid to ctry.")
    'cuts aid to ctry on monday reduced military aid to'
    """
    title, _, body = prepared.partition("\n")
    body = body.strip()
    words: list[str] = []
    for part in (title, body[:400]) if body else (title,):
        if ". " in part[:400]:
            part = part.split(". ", 1)[0]
        start = part.find(_MASKED)
        rest = part[start + len(_MASKED):] if start >= 0 else part
        words.extend(_PREDICATE_WORD.findall(rest)[:n_words])
    return " ".join(words)


class ArticlePreparer(TransformerMixin, BaseEstimator):
    """Map raw articles to an object array of (head, body, predicate) columns.

    Parameters
    ----------
    mask : bool
        Replace state and organisation names, demonyms and capitals with ``CTRY``.
    negation : bool
        Prefix words governed by a negation cue with ``neg_``.
    head_words : int
        Length of the head (headline plus lede) in words.
    predicate_words : int
        Words kept after the first actor of the headline and of the lede (see
        :func:`predicate_of`); 0 leaves the predicate column empty.
    """

    def __init__(self, mask: bool = True, negation: bool = True, head_words: int = 45,
                 predicate_words: int = 0) -> None:
        self.mask = mask
        self.negation = negation
        self.head_words = head_words
        self.predicate_words = predicate_words

    def fit(self, X: Any, y: Any = None) -> ArticlePreparer:
        self.n_features_in_ = 1
        return self

    def transform(self, X: Any) -> np.ndarray:
        out = np.empty((len(X), 3), dtype=object)
        n_predicate = self.predicate_words
        for i, text in enumerate(X):
            prepared = prepare_article(str(text), self.mask, self.negation)
            out[i, 0] = head_of(prepared, self.head_words)
            out[i, 1] = prepared
            out[i, 2] = predicate_of(prepared, n_predicate) if n_predicate else ""
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class WordVectorMean(TransformerMixin, BaseEstimator):
    """IDF-weighted, L2-normalised mean of the packaged word vectors
    (:mod:`diplostance.word_vectors`) of each text.

    ``fit`` learns the IDF weights from the training texts (words they lack get the
    largest weight). A saved model keeps only those weights and the sha256 of the vectors
    file: the vectors themselves are read from the package, and a model trained with
    other vectors is refused (see :func:`diplostance.persistence.load_model`). The output
    is a sparse matrix (dense content) so that it stacks with TF-IDF blocks.
    """

    def fit(self, X: Any, y: Any = None) -> WordVectorMean:
        vectors = load_word_vectors()
        self.vectors_sha256_ = vectors.sha256
        self.idf_ = self._new_vectorizer().fit(list(X)).idf_.astype(np.float32)
        self.n_features_in_ = 1
        return self

    def _new_vectorizer(self) -> TfidfVectorizer:
        return TfidfVectorizer(vocabulary=load_word_vectors().index,
                               token_pattern=VECTOR_TOKENS, sublinear_tf=True, norm=None,
                               dtype=np.float32)

    def _weights(self) -> TfidfVectorizer:
        # Rebuilt once per process from the packaged vocabulary and the learnt IDF.
        if getattr(self, "_weights_", None) is None:
            if load_word_vectors().sha256 != self.vectors_sha256_:
                raise ValueError("this model was trained with other word vectors than the "
                                 "installed diplostance's: run make train")
            weights = self._new_vectorizer().fit([""])
            weights.idf_ = self.idf_
            self._weights_ = weights
        return self._weights_

    def transform(self, X: Any) -> sparse.csr_matrix:
        weights = tfidf_transform(self._weights(), list(X))
        return sparse.csr_matrix(normalize(np.asarray(weights @ vectors32())))

    def __getstate__(self) -> dict[str, Any]:
        state = super().__getstate__()
        state.pop("_weights_", None)
        return state

    def get_feature_names_out(self, input_features: Any = None) -> np.ndarray:
        return np.array([f"vector{i}" for i in range(load_word_vectors().dims)], dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


DEFAULT_FEATURES: dict[str, Any] = {
    "mask": True,
    "negation": True,
    "head_words": 45,
    "word_ngrams": (1, 2),
    "body_ngrams": None,  # n-grams of the whole article; None: the same as word_ngrams
    "char_ngrams": (2, 5),
    "min_df": 2,
    "max_features": 60000,
    "head_weight": 1.0,
    "char_weight": 1.0,
    "vector_weight": 0.0,  # mean word vector of the head (see word_vectors.py); 0: off
    "predicate_words": 6,  # words after the first actor of the headline and of the lede
    "predicate_weight": 0.0,  # mean word vector of those words; 0: off
}


def build_vectorizer(options: dict[str, Any] | None = None) -> Pipeline:
    """Build the (unfitted) feature pipeline from recipe options (see :data:`DEFAULT_FEATURES`)."""
    opts = {**DEFAULT_FEATURES, **(options or {})}
    unknown = set(opts) - set(DEFAULT_FEATURES)
    if unknown:
        raise ValueError(f"unknown feature option(s): {sorted(unknown)}")
    min_df = opts["min_df"]
    columns = [
        ("body_words", TfidfVectorizer(ngram_range=tuple(opts["body_ngrams"]
                                                         or opts["word_ngrams"]), min_df=min_df,
                                       max_features=opts["max_features"], sublinear_tf=True,
                                       dtype=np.float32), 1),
        ("head_words", TfidfVectorizer(ngram_range=tuple(opts["word_ngrams"]), min_df=min_df,
                                       sublinear_tf=True, dtype=np.float32), 0),
    ]
    weights = {"body_words": 1.0, "head_words": opts["head_weight"]}
    if opts["char_weight"] > 0:
        columns.append(("head_chars", TfidfVectorizer(
            analyzer="char_wb", ngram_range=tuple(opts["char_ngrams"]), min_df=min_df,
            max_features=opts["max_features"], sublinear_tf=True, dtype=np.float32), 0))
        weights["head_chars"] = opts["char_weight"]
    if opts["vector_weight"] > 0:
        columns.append(("head_vector", WordVectorMean(), 0))
        weights["head_vector"] = opts["vector_weight"]
    if opts["predicate_weight"] > 0:
        columns.append(("predicate_vector", WordVectorMean(), 2))
        weights["predicate_vector"] = opts["predicate_weight"]
    return Pipeline([
        ("prepare", ArticlePreparer(opts["mask"], opts["negation"], opts["head_words"],
                                    opts["predicate_words"] if opts["predicate_weight"] > 0
                                    else 0)),
        ("tfidf", ColumnTransformer(columns, transformer_weights=weights)),
    ])
