"""Static word vectors packaged with diplostance, read by the head's mean-vector feature.

A bag of words trained on a few thousand written articles knows only the words its corpus
uses; real news says "rescinded aid", "snubbed the envoy" or "bombarded positions", words
the corpus may lack. Word vectors carry what was learnt about those words elsewhere: the
model reads, beside its n-grams, the mean vector of the head's words, so an unseen verb
lands near the seen verbs that mean the same (:class:`diplostance.features.WordVectorMean`).

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
>>> vectors.dims
128
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

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
def vectors32() -> np.ndarray:
    """The packaged vectors as float32 (made once per process, for products)."""
    return load_word_vectors().vectors.astype(np.float32)
