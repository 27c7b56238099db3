"""What a trained model returns: :class:`Prediction`, and :class:`StanceModel` that makes them.

A :class:`StanceModel` bundles the fitted :class:`~diplostance.model.StanceClassifier`,
the :class:`~diplostance.actors.ActorModel` and the training metadata. ``predict`` accepts
one string (returns one :class:`Prediction`), a list or any iterable of strings (returns a
list), like setfit's ``predict``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from .actors import ActorModel
from .evidence import Evidence, explain
from .model import StanceClassifier
from .taxonomy import ACTION_TYPES, SEVERITIES, TAXONOMY_VERSION, action_info

PREDICT_BATCH = 512


@dataclass(frozen=True)
class Prediction:
    """The model's reading of one article.

    ``escalation`` is the expected severity under the severity probabilities (0-4);
    ``quad_class``, ``cameo`` and ``goldstein`` are the taxonomy's fields for the predicted
    action type. ``evidence`` is filled when asked for (``explain=True``).
    """

    action_type: str
    action_probability: float
    top_actions: tuple[tuple[str, float], ...]
    severity: str
    severity_probability: float
    escalation: float
    quad_class: str
    cameo: str
    goldstein: float
    source: str | None = None
    target: str | None = None
    evidence: Evidence | None = None

    @property
    def is_abstention(self) -> bool:
        """True when the model says there is no inter-state action (``none``)."""
        return self.action_type == "none"

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (probabilities rounded to 4 places)."""
        out = {f.name: getattr(self, f.name) for f in fields(self)}
        out["action_probability"] = round(self.action_probability, 4)
        out["severity_probability"] = round(self.severity_probability, 4)
        out["escalation"] = round(self.escalation, 4)
        out["top_actions"] = [[a, round(p, 4)] for a, p in self.top_actions]
        out["evidence"] = self.evidence.to_dict() if self.evidence else None
        return out


def make_prediction(p_action: np.ndarray, p_severity: np.ndarray,
                    source: str | None = None, target: str | None = None,
                    evidence: Evidence | None = None) -> Prediction:
    """Build a :class:`Prediction` from one row of action and severity probabilities."""
    top = np.argsort(-p_action)[:3]
    action = ACTION_TYPES[int(top[0])]
    sev = int(np.argmax(p_severity))
    info = action_info(action)
    return Prediction(
        action_type=action,
        action_probability=float(p_action[top[0]]),
        top_actions=tuple((ACTION_TYPES[int(i)], float(p_action[i])) for i in top),
        severity=SEVERITIES[sev],
        severity_probability=float(p_severity[sev]),
        escalation=float(np.dot(p_severity, np.arange(len(SEVERITIES)))),
        quad_class=info.quad_class,
        cameo=info.cameo_reference,
        goldstein=info.goldstein,
        source=source,
        target=target,
        evidence=evidence,
    )


class StanceModel:
    """A trained diplostance model, ready to tag articles.

    Examples
    --------
    >>> from diplostance.model import StanceClassifier
    >>> X = ["Peru recalled its ambassador from Mexico.", "Chile and Peru signed an accord."] * 3
    >>> y = [["recall_ambassador", "high"], ["agreement", "none"]] * 3
    >>> model = StanceModel(StanceClassifier(features={"min_df": 1}).fit(X, y))
    >>> model.predict("Ecuador and Chile signed an accord.").action_type
    'agreement'
    >>> len(model.predict(["one text", "another text"]))
    2
    """

    def __init__(self, classifier: StanceClassifier, actors: ActorModel | None = None,
                 metadata: dict[str, Any] | None = None) -> None:
        self.classifier = classifier
        self.actors = actors
        self.metadata = dict(metadata or {})
        self.taxonomy_version = TAXONOMY_VERSION
        self.action_types = ACTION_TYPES
        self.severities = SEVERITIES

    @property
    def version(self) -> str:
        """A short identifier of this trained model (the file's sha256 prefix when known)."""
        sha = self.metadata.get("model_sha256")
        return f"diplostance-{sha[:12]}" if sha else "diplostance-unsaved"

    def predict_batch(self, texts: list[str], explain_: bool = False) -> list[Prediction]:
        """Predictions for a list of article strings (one vectorization for the batch)."""
        if not texts:
            return []
        texts = [t if isinstance(t, str) else str(t) for t in texts]
        p_action, p_severity = self.classifier.proba_from_features(
            self.classifier.transform(texts))
        actions = [ACTION_TYPES[i] for i in p_action.argmax(axis=1)]
        dyads = (self.actors.predict(texts, actions) if self.actors
                 else [(None, None)] * len(texts))
        out = []
        for i, text in enumerate(texts):
            evidence = explain(self.classifier, text, actions[i]) if explain_ else None
            out.append(make_prediction(p_action[i], p_severity[i], *dyads[i], evidence))
        return out

    def predict(self, texts: str | Iterable[str], explain: bool = False
                ) -> Prediction | list[Prediction]:
        """Tag one article (a string) or many (a list or any iterable of strings)."""
        if isinstance(texts, str):
            return self.predict_batch([texts], explain)[0]
        out: list[Prediction] = []
        batch: list[str] = []
        for text in texts:
            batch.append(text)
            if len(batch) >= PREDICT_BATCH:
                out.extend(self.predict_batch(batch, explain))
                batch = []
        out.extend(self.predict_batch(batch, explain))
        return out

    def predict_frame(self, df, text_column: str = "text", explain: bool = False):
        """Tag the articles of a pandas DataFrame; returns a DataFrame, one row per article,
        with the same index. Needs pandas (``pip install diplostance[pandas]``)."""
        try:
            import pandas as pd
        except ImportError:  # pragma: no cover - depends on the environment
            raise ImportError("predict_frame needs pandas: pip install 'diplostance[pandas]'")\
                from None
        if text_column not in df.columns:
            raise KeyError(f"no column {text_column!r}; columns are {list(df.columns)}")
        preds = self.predict(df[text_column].fillna("").astype(str).tolist(), explain=explain)
        return pd.DataFrame([p.to_dict() for p in preds], index=df.index)

    def __repr__(self) -> str:
        return f"StanceModel(version={self.version!r}, taxonomy={self.taxonomy_version!r})"
