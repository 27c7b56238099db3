"""Static word vectors: the IDF-weighted mean vector of an article's head.

A bag of words trained on a few thousand written articles knows only the words its corpus
uses; real news says "slashed aid", "scrapped curbs" or "restored ties" in words the corpus
may lack. Word vectors carry what was learnt about those words elsewhere: the model reads,
beside its n-grams, the mean vector of the head's words, so an unseen verb lands near the
seen verbs that mean the same.

The vectors (``word_vectors.npz`` beside this module) were distilled once from the
sentence encoder all-MiniLM-L6-v2 (Apache-2.0) by ``scripts/distill_word_vectors.py``:
each word is encoded alone, the vectors are centred and reduced by PCA, and stored as
float16. Reading them needs only NumPy; no encoder runs at training or prediction time.
A trained model stores only its IDF weights and the vectors file's sha256.

Examples
--------
>>> vectors = load_word_vectors()
>>> vectors.similarity("expelled", "expel") > vectors.similarity("expelled", "tomato")
True
>>> mean = WordVectorMean().fit(["peru recalled its ambassador"])
>>> mean.transform(["chile withdrew its envoy"]).shape[1] == vectors.dims
True
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np
from scipy import sparse
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.preprocessing import normalize

VECTORS_FILE = "word_vectors.npz"
TOKEN_PATTERN = r"(?u)\b[a-z][a-z'-]+\b"
"""Words the vectors cover: lower-case, alphabetic (``neg_`` marked words are left out)."""


@dataclass(frozen=True)
class WordVectors:
    """A vocabulary and its unit-length vectors (rows of ``vectors``, float16)."""

    words: tuple[str, ...]
    vectors: np.ndarray
    source: str
    sha256: str

    @property
    def dims(self) -> int:
        return int(self.vectors.shape[1])

    @property
    def index(self) -> dict[str, int]:
        return _index(self.words)

    def __getitem__(self, word: str) -> np.ndarray:
        return self.vectors[self.index[word]].astype(np.float32)

    def similarity(self, a: str, b: str) -> float:
        """Cosine similarity of two words of the vocabulary."""
        return float(self[a] @ self[b])


@lru_cache(maxsize=4)
def _index(words: tuple[str, ...]) -> dict[str, int]:
    return {word: i for i, word in enumerate(words)}


@lru_cache(maxsize=1)
def load_word_vectors() -> WordVectors:
    """The packaged word vectors (read once per process)."""
    raw = resources.files(__package__).joinpath(VECTORS_FILE).read_bytes()
    with np.load(io.BytesIO(raw), allow_pickle=False) as data:
        return WordVectors(words=tuple(data["words"].tolist()), vectors=data["vectors"],
                           source=str(data["source"]), sha256=hashlib.sha256(raw).hexdigest())


@lru_cache(maxsize=1)
def _vectors32() -> np.ndarray:
    return load_word_vectors().vectors.astype(np.float32)


class WordVectorMean(TransformerMixin, BaseEstimator):
    """IDF-weighted, L2-normalised mean of the packaged word vectors of each text.

    ``fit`` learns the IDF weights from the training texts (words they lack get the
    largest weight). A saved model keeps only those weights and the sha256 of the vectors
    file: the vectors themselves are read from the package, and a model trained with
    other vectors is refused (see :func:`diplostance.persistence.load_model`). The output
    is a sparse matrix (dense content) so that it stacks with TF-IDF blocks.
    """

    def fit(self, X: Any, y: Any = None) -> WordVectorMean:
        vectors = load_word_vectors()
        self.vectors_sha256_ = vectors.sha256
        self.idf_ = self._tfidf().fit(list(X)).idf_.astype(np.float32)
        self.n_features_in_ = 1
        return self

    def _tfidf(self) -> TfidfVectorizer:
        return TfidfVectorizer(vocabulary=load_word_vectors().index,
                               token_pattern=TOKEN_PATTERN, sublinear_tf=True, norm=None,
                               dtype=np.float32)

    def _weights(self) -> TfidfVectorizer:
        # Rebuilt once per process from the packaged vocabulary and the learnt IDF.
        if getattr(self, "_weights_", None) is None:
            if load_word_vectors().sha256 != self.vectors_sha256_:
                raise ValueError("this model was trained with other word vectors than the "
                                 "installed diplostance's: run make train")
            weights = self._tfidf().fit([""])
            weights.idf_ = self.idf_
            self._weights_ = weights
        return self._weights_

    def transform(self, X: Any) -> sparse.csr_matrix:
        weights = self._weights().transform(list(X))
        return sparse.csr_matrix(normalize(np.asarray(weights @ _vectors32())))

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
