"""The two-headed classifier: action type and severity from one vectorized article.

:class:`StanceClassifier` is a scikit-learn estimator. ``fit(X, y)`` takes article
strings and a two-column label array (action type, severity); ``predict_proba`` returns
one probability matrix per head, columns in the taxonomy's fixed order. The severity head
reads the text, and its probabilities are then restricted, for each possible action, to
the severity levels the taxonomy allows for it and mixed by the action probabilities:

    P(severity = s) = sum_a P(a) * P(s | text, s allowed for a)

Examples
--------
>>> X = ["Peru recalled its ambassador indefinitely.", "Chile and Peru signed a trade accord.",
...      "Bolivia recalled its envoy for consultations.", "Ecuador and Peru signed a treaty."]
>>> y = [["recall_ambassador", "high"], ["agreement", "none"],
...      ["recall_ambassador", "moderate"], ["agreement", "none"]]
>>> clf = StanceClassifier(features={"min_df": 1}).fit(X, y)
>>> clf.predict(["Uruguay signed a trade accord."])[0, 0]
'agreement'
"""

from __future__ import annotations

from typing import Any

import numpy as np
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.calibration import CalibratedClassifierCV
from sklearn.linear_model import LogisticRegression
from sklearn.svm import LinearSVC
from sklearn.utils.validation import check_is_fitted

from .features import build_vectorizer, tfidf_transform
from .taxonomy import ACTION_TYPES, SEVERITIES, allowed_severities

SEVERITY_MASK = np.array(
    [[level in allowed_severities(action) for level in SEVERITIES] for action in ACTION_TYPES],
    dtype=float,
)
"""(20, 5) matrix: 1 where the taxonomy allows a severity level for an action type."""


def build_head(kind: str = "logreg", C: float = 1.0, calibration: str | None = None,
               class_weight: str | None = "balanced", seed: int = 0,
               calibration_folds: int = 3, n_jobs: int | None = None) -> BaseEstimator:
    """One classification head: ``logreg`` or ``linear_svc``, optionally calibrated.

    ``calibration`` is ``temperature``, ``sigmoid`` or ``isotonic`` (cross-validated with
    ``calibration_folds`` folds, then refitted on all the data), or None.
    """
    if kind == "logreg":
        head: BaseEstimator = LogisticRegression(C=C, max_iter=3000, tol=1e-3,
                                                 class_weight=class_weight, random_state=seed)
    elif kind == "linear_svc":
        head = LinearSVC(C=C, class_weight=class_weight, random_state=seed)
        calibration = calibration or "sigmoid"
    else:
        raise ValueError(f"unknown classifier kind {kind!r}; use 'logreg' or 'linear_svc'")
    if calibration:
        head = CalibratedClassifierCV(head, method=calibration, cv=calibration_folds,
                                      ensemble=False, n_jobs=n_jobs)
    return head


def _linear_form(head: BaseEstimator) -> tuple[Any, np.ndarray, float] | None:
    """(coef.T, intercept, inverse temperature) when ``head`` is a logistic regression,
    bare or temperature-scaled without ensembling; None for any other head.

    Prediction then needs one sparse product and a softmax instead of scikit-learn's
    per-call validation, which dominates the cost of scoring one article.
    """
    beta = 1.0
    if isinstance(head, CalibratedClassifierCV):
        if head.method != "temperature" or len(head.calibrated_classifiers_) != 1:
            return None
        inner = head.calibrated_classifiers_[0]
        beta = float(inner.calibrators[0].beta_)
        head = inner.estimator
    if not isinstance(head, LogisticRegression) or head.coef_.shape[0] < 3:
        return None
    return head.coef_.T.astype(np.float64), head.intercept_.astype(np.float64), beta


def _softmax(logits: np.ndarray) -> np.ndarray:
    logits = logits - logits.max(axis=1, keepdims=True)
    np.exp(logits, out=logits)
    return logits / logits.sum(axis=1, keepdims=True)


def _head_proba(head: BaseEstimator, form: tuple | None, Z) -> np.ndarray:
    if form is None:
        return head.predict_proba(Z)
    coef_t, intercept, beta = form
    return _softmax(beta * (np.asarray(Z @ coef_t) + intercept))


def _reindex(proba: np.ndarray, classes: np.ndarray, names: tuple[str, ...]) -> np.ndarray:
    """Put a head's probability columns in taxonomy order (absent classes get 0)."""
    out = np.zeros((proba.shape[0], len(names)), dtype=float)
    index = {name: i for i, name in enumerate(names)}
    for column, label in enumerate(classes):
        out[:, index[label]] = proba[:, column]
    return out


class StanceClassifier(ClassifierMixin, BaseEstimator):
    """Vectorizer plus two heads (action type, severity), as one estimator.

    Parameters
    ----------
    features : dict, optional
        Options for :func:`diplostance.features.build_vectorizer`.
    action_head, severity_head : estimator, optional
        Unfitted classifiers with ``predict_proba``; default calibrated-free
        logistic regression.
    constrain_severity : bool
        Restrict severity to the taxonomy's range for each action (see module docs).
    """

    def __init__(self, features: dict[str, Any] | None = None,
                 action_head: BaseEstimator | None = None,
                 severity_head: BaseEstimator | None = None,
                 constrain_severity: bool = True) -> None:
        self.features = features
        self.action_head = action_head
        self.severity_head = severity_head
        self.constrain_severity = constrain_severity

    def fit(self, X: Any, y: Any) -> StanceClassifier:
        """Fit the vectorizer and both heads. ``y`` is (n, 2): action type, severity."""
        X = list(X)
        y = np.asarray(y, dtype=object)
        if y.ndim != 2 or y.shape[1] != 2:
            raise ValueError("y must have two columns: action_type, severity")
        unknown = (set(y[:, 0]) - set(ACTION_TYPES)) | (set(y[:, 1]) - set(SEVERITIES))
        if unknown:
            raise ValueError(f"unknown label(s) {sorted(unknown)}")
        self.vectorizer_ = build_vectorizer(self.features)
        Z = self.vectorizer_.fit_transform(X)
        self.action_head_ = clone(self.action_head or build_head()).fit(Z, y[:, 0])
        self.severity_head_ = clone(self.severity_head or build_head()).fit(Z, y[:, 1])
        self.classes_ = [np.array(ACTION_TYPES, dtype=object), np.array(SEVERITIES, dtype=object)]
        self.n_features_in_ = 1
        self._compile()
        return self

    def _compile(self) -> None:
        """Precompute the fast prediction path (see :func:`_linear_form`)."""
        self.head_forms_ = (_linear_form(self.action_head_), _linear_form(self.severity_head_))
        prepare, columns = self.vectorizer_.steps[0][1], self.vectorizer_.steps[1][1]
        weights = columns.transformer_weights or {}
        self.columns_ = [(vec, column, float(weights.get(name, 1.0)))
                         for name, vec, column in columns.transformers_
                         if vec not in ("drop", "passthrough")]
        self.prepare_ = prepare

    _DERIVED = ("head_forms_", "columns_", "prepare_", "_feature_names", "_word_features")

    def __getstate__(self) -> dict[str, Any]:
        # The fast path is derived from the fitted heads: rebuilt after loading, not saved
        # (it would store a second, dense copy of the coefficients); so are the feature-name
        # caches that explanations fill (evidence.py).
        state = super().__getstate__()
        return {k: v for k, v in state.items() if k not in self._DERIVED}

    def transform(self, X: Any):
        """The feature matrix of ``X`` (the vectorizer pipeline, without its per-call checks;
        identical to ``vectorizer_.transform``)."""
        check_is_fitted(self, "vectorizer_")
        from scipy import sparse

        if not hasattr(self, "columns_"):  # freshly loaded: rebuild the fast path
            self._compile()
        prepared = self.prepare_.transform(list(X))
        blocks = []
        for vec, column, weight in self.columns_:
            block = tfidf_transform(vec, prepared[:, column])
            blocks.append(block * weight if weight != 1.0 else block)
        return sparse.hstack(blocks, format="csr")

    def proba_from_features(self, Z) -> tuple[np.ndarray, np.ndarray]:
        """Action and severity probabilities (taxonomy order) from a feature matrix."""
        if not hasattr(self, "head_forms_"):
            self._compile()
        action_form, severity_form = self.head_forms_
        p_action = _reindex(_head_proba(self.action_head_, action_form, Z),
                            self.action_head_.classes_, ACTION_TYPES)
        p_sev_text = _reindex(_head_proba(self.severity_head_, severity_form, Z),
                              self.severity_head_.classes_, SEVERITIES)
        if not self.constrain_severity:
            return p_action, p_sev_text
        # For each action a: P(s | text) restricted to a's allowed range, renormalised.
        restricted = p_sev_text[:, None, :] * SEVERITY_MASK[None, :, :]  # (n, 20, 5)
        totals = restricted.sum(axis=2, keepdims=True)
        fallback = SEVERITY_MASK / SEVERITY_MASK.sum(axis=1, keepdims=True)
        conditional = np.where(totals > 1e-12, restricted / np.maximum(totals, 1e-12),
                               fallback[None, :, :])
        p_severity = np.einsum("na,nas->ns", p_action, conditional)
        return p_action, p_severity

    def predict_proba(self, X: Any) -> list[np.ndarray]:
        """``[P(action) (n, 20), P(severity) (n, 5)]``, columns in taxonomy order."""
        return list(self.proba_from_features(self.transform(X)))

    def predict(self, X: Any) -> np.ndarray:
        """(n, 2) array of predicted action type and severity names."""
        p_action, p_severity = self.predict_proba(X)
        return np.column_stack([self.classes_[0][p_action.argmax(axis=1)],
                                self.classes_[1][p_severity.argmax(axis=1)]])

    def score(self, X: Any, y: Any, sample_weight: Any = None) -> float:
        """Accuracy of the action head (the primary target)."""
        y = np.asarray(y, dtype=object)
        return float(np.mean(self.predict(X)[:, 0] == y[:, 0]))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        tags.target_tags.multi_output = True
        return tags
