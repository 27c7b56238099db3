"""Point at the words behind a prediction: the best sentence and the top terms.

The evidence sentence is the sentence that the action head, reading each sentence alone,
finds most typical of the predicted action. The top terms are the features with the
largest contributions (feature value times the linear head's coefficient) toward it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from sklearn.calibration import CalibratedClassifierCV

from .features import WordVectorMean
from .taxonomy import ACTION_TYPES

_SENTENCE = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"'”’)]))\s+(?=[\"'“‘(]?[A-Z0-9])|\n+")


@dataclass(frozen=True)
class Evidence:
    """Why the model chose an action: the best sentence and the top contributing terms."""

    sentence: str
    sentence_probability: float
    terms: tuple[tuple[str, float], ...]

    def to_dict(self) -> dict:
        return {"sentence": self.sentence,
                "sentence_probability": round(self.sentence_probability, 4),
                "terms": [[t, round(w, 4)] for t, w in self.terms]}


def split_sentences(text: str) -> list[str]:
    """Split an article into sentences (headline and paragraphs break too).

    >>> split_sentences("Peru acts. Mexico \\"regrets\\" it.\\n\\nLima said so.")
    ['Peru acts.', 'Mexico "regrets" it.', 'Lima said so.']
    """
    return [s.strip() for s in _SENTENCE.split(text) if s and s.strip()]


def linear_coefficients(head) -> tuple[np.ndarray, np.ndarray] | None:
    """(classes, coef matrix) of a linear head, averaged over calibration folds; None if
    the head is not linear."""
    if isinstance(head, CalibratedClassifierCV):
        parts = [c.estimator for c in head.calibrated_classifiers_]
        coefs = [p.coef_ for p in parts if hasattr(p, "coef_")]
        if not coefs:
            return None
        # Inside the calibrator the estimator saw encoded labels 0..k-1 of head.classes_.
        return head.classes_, np.mean(coefs, axis=0)
    if hasattr(head, "coef_"):
        return head.classes_, head.coef_
    return None


def feature_names(classifier) -> np.ndarray:
    """Readable feature names of a fitted :class:`StanceClassifier` (cached on it)."""
    names = getattr(classifier, "_feature_names", None)
    if names is None:
        names = classifier.vectorizer_[-1].get_feature_names_out()
        classifier._feature_names = names
    return names


def word_features(classifier) -> np.ndarray:
    """True for the features that name words (n-grams); False for word-vector dimensions,
    which help the model but name no word (cached on the classifier)."""
    mask = getattr(classifier, "_word_features", None)
    if mask is None:
        columns = classifier.vectorizer_[-1]
        mask = np.ones(len(feature_names(classifier)), dtype=bool)
        for name, transformer, _ in columns.transformers_:
            if isinstance(transformer, WordVectorMean):
                mask[columns.output_indices_[name]] = False
        classifier._word_features = mask
    return mask


def explain(classifier, text: str, action: str, n_terms: int = 8) -> Evidence:
    """Evidence for ``action`` in ``text`` from a fitted :class:`StanceClassifier`."""
    sentences = split_sentences(text) or [text]
    Z_sent = classifier.transform(sentences)
    p_action, _ = classifier.proba_from_features(Z_sent)
    column = ACTION_TYPES.index(action)
    best = int(np.argmax(p_action[:, column]))
    terms: tuple[tuple[str, float], ...] = ()
    linear = linear_coefficients(classifier.action_head_)
    if linear is not None:
        classes, coef = linear
        row = list(classes).index(action) if action in classes else None
        if row is not None:
            z = classifier.transform([text]).tocsr()
            weights = coef[row] if coef.shape[0] > 1 else coef[0]
            names = feature_names(classifier)
            contrib = np.where(word_features(classifier)[z.indices],
                               z.data * weights[z.indices], 0.0)
            order = np.argsort(-contrib)[:n_terms]
            terms = tuple((str(names[z.indices[i]]).replace("__", ":"), float(contrib[i]))
                          for i in order if contrib[i] > 0)
    return Evidence(sentences[best], float(p_action[best, column]), terms)
