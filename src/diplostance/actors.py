"""Who did what to whom: choose the source and target actor among an article's mentions.

Every distinct actor mentioned in the article (found by :mod:`diplostance.gazetteer`) is a
candidate. Each candidate is described by where and how it is mentioned (order of first
mention, in the headline or lede, how often, as a name, demonym or capital) and by the words
around its mentions ("from", "with", "against", "expelled ..."). Two logistic regressions
learnt from the corpus' ``source`` / ``target`` labels score the candidates; the best
source is taken first, then the best target among the others.

Examples
--------
>>> texts = ["Peru recalled its ambassador from Mexico.",
...          "Chile expelled two Bolivian diplomats.",
...          "Mexico saw its envoy expelled by Peru.",
...          "Bolivia recalled its ambassador from Chile."]
>>> sources, targets = ["PER", "CHL", "PER", "BOL"], ["MEX", "BOL", "MEX", "CHL"]
>>> actors = ActorModel().fit(texts, sources, targets)
>>> actors.predict(["Ecuador recalled its ambassador from Colombia."])
[('ECU', 'COL')]
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.feature_extraction import FeatureHasher
from sklearn.linear_model import LogisticRegression

from .gazetteer import Mention, find_mentions
from .taxonomy import IGO_CODES

# A passive construction with an agent ("was expelled by", "were hit with sanctions by",
# "saw its envoy expelled by"): in such a sentence the first actor is usually the target.
_PASSIVE = re.compile(
    r"\b(?:was|were|been|being|is|are|be|saw|sees|had|has|have)\b(?:\s+[\w'’-]+){0,4}?"
    r"\s+(?:[a-z]+(?:ed|en|wn|ut|ck)|hit|set|sent|held|kept|left|led|made|paid|shot|told|"
    r"caught|brought|sold|met|shut|put)\b(?:\s+[\w'’-]+){0,3}?\s+by\b", re.IGNORECASE)
_HEAD_CHARS = 300
MAX_CANDIDATES = 4
"""Only the first actors mentioned are candidates: the dyad sits in the headline and lede."""


_PUNCT = ".,;:!?\"'()[]“”‘’«»—–-"


def _context_words(text: str, mention: Mention, window: int = 3) -> tuple[list[str], list[str]]:
    """Up to ``window`` lower-cased words before and after a mention (punctuation dropped)."""
    before = [w.strip(_PUNCT).lower() for w in text[max(0, mention.start - 60):mention.start]
              .split()[-window:]]
    after = [w.strip(_PUNCT).lower() for w in text[mention.end:mention.end + 60]
             .split()[:window]]
    return [w for w in before if w], [w for w in after if w]


def candidate_features(text: str, action: str | None = None
                       ) -> tuple[list[str], list[dict[str, float]]]:
    """Candidate actor codes of an article and one feature dict for each."""
    mentions = find_mentions(text)
    by_code: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:  # in text order, so the codes come in order of first mention
        by_code[m.code].append(m)
    order = list(by_code)
    title_end = text.find("\n")  # -1 when the article has no headline line
    lede_end = text.find(".", title_end + 1)
    lede_end = lede_end if lede_end >= 0 else len(text)
    in_lede = {m.code for m in mentions if title_end < m.start <= lede_end}
    lede_order = [c for c in order if c in in_lede]
    title_order = [c for c in order if by_code[c][0].start < title_end]
    voice = {"title": "passive" if _PASSIVE.search(text, 0, max(title_end, 0)) else "active",
             "lede": "passive" if _PASSIVE.search(text, title_end + 1, lede_end) else "active"}
    codes, rows = [], []
    for rank, code in enumerate(order[:MAX_CANDIDATES]):
        ms = by_code[code]
        first = ms[0]
        lede_rank = lede_order.index(code) if code in lede_order else "none"
        title_rank = title_order.index(code) if code in title_order else "none"
        f: dict[str, float] = {
            "bias": 1.0,
            f"rank={min(rank, 4)}": 1.0,
            "count": float(np.log1p(len(ms))),
            "head": float(first.start < _HEAD_CHARS),
            "title": float(first.start < title_end),
            "organisation": float(code in IGO_CODES),
            f"lede_rank={lede_rank}": 1.0,
            "possessive": float(any(text[m.end:m.end + 2] in ("'s", "’s") for m in ms)),
        }
        # Word order means different things in active and passive sentences.
        f[f"lede_rank={lede_rank}|{voice['lede']}"] = 1.0
        f[f"title_rank={title_rank}|{voice['title']}"] = 1.0
        f[f"rank={min(rank, 4)}|{voice['lede']}"] = 1.0
        if action:
            f[f"rank={min(rank, 4)}|{action}"] = 1.0
        for i, m in enumerate(ms[:2]):
            weight = 1.0 if i == 0 else 0.5
            f[f"kind={m.kind}"] = f.get(f"kind={m.kind}", 0.0) + weight
            before, after = _context_words(text, m)
            for j, w in enumerate(reversed(before)):
                key = f"b{j + 1}={w}"
                f[key] = f.get(key, 0.0) + weight
            for j, w in enumerate(after):
                key = f"a{j + 1}={w}"
                f[key] = f.get(key, 0.0) + weight
            if before:
                f[f"b1={before[-1]}|{action}"] = f.get(f"b1={before[-1]}|{action}", 0.0) + weight
            if after:
                f[f"a1={after[0]}|{action}"] = f.get(f"a1={after[0]}|{action}", 0.0) + weight
        codes.append(code)
        rows.append(f)
    return codes, rows


class ActorModel:
    """Learnt source / target chooser over gazetteer mentions.

    Parameters
    ----------
    C : float
        Inverse regularisation strength of both logistic regressions.
    threshold : float
        Minimum probability for a candidate to be reported; below it the role is None.
    """

    def __init__(self, C: float = 1.0, threshold: float = 0.02) -> None:
        self.C = C
        self.threshold = threshold

    def fit(self, texts: Sequence[str], sources: Sequence[str | None],
            targets: Sequence[str | None], actions: Sequence[str] | None = None) -> ActorModel:
        rows, is_source, is_target = [], [], []
        for i, text in enumerate(texts):
            action = actions[i] if actions is not None else None
            codes, feats = candidate_features(text, action)
            for code, f in zip(codes, feats, strict=True):
                rows.append(f)
                is_source.append(code == sources[i])
                is_target.append(code == targets[i])
        # Hashing (C code, no vocabulary to look up) keeps prediction fast.
        self.vectorizer_ = FeatureHasher(n_features=2**18, alternate_sign=False)
        Z = self.vectorizer_.transform(rows) if rows else None
        self.source_ = self._fit_role(Z, is_source)
        self.target_ = self._fit_role(Z, is_target)
        return self

    def _fit_role(self, Z: Any, labels: list[bool]) -> LogisticRegression | None:
        if Z is None or len(set(labels)) < 2:
            return None
        return LogisticRegression(C=self.C, max_iter=2000).fit(Z, labels)

    def _role_proba(self, role: LogisticRegression | None, Z: Any) -> np.ndarray:
        if role is None:
            return np.zeros(Z.shape[0])
        return role.predict_proba(Z)[:, list(role.classes_).index(True)]

    def _choose(self, codes: list[str], p_source: np.ndarray, p_target: np.ndarray
                ) -> tuple[str | None, str | None]:
        source = target = None
        best = int(np.argmax(p_source))
        if p_source[best] >= self.threshold:
            source = codes[best]
        others = [i for i in range(len(codes)) if codes[i] != source]
        if others:
            best_t = max(others, key=lambda i: p_target[i])
            if p_target[best_t] >= self.threshold:
                target = codes[best_t]
        return source, target

    def predict_one(self, text: str, action: str | None = None) -> tuple[str | None, str | None]:
        """(source, target) of one article; None where no candidate is likely enough."""
        return self.predict([text], [action])[0]

    def predict(self, texts: Sequence[str], actions: Sequence[str | None] | None = None
                ) -> list[tuple[str | None, str | None]]:
        """(source, target) pairs for many articles (one model call for the batch)."""
        actions = list(actions) if actions is not None else [None] * len(texts)
        spans, rows, all_codes = [], [], []
        for text, action in zip(texts, actions, strict=True):
            if action == "none":
                spans.append((len(rows), len(rows)))
                all_codes.append([])
                continue
            codes, feats = candidate_features(text, action)
            spans.append((len(rows), len(rows) + len(feats)))
            rows.extend(feats)
            all_codes.append(codes)
        if not rows:
            return [(None, None)] * len(texts)
        Z = self.vectorizer_.transform(rows)
        p_source = self._role_proba(self.source_, Z)
        p_target = self._role_proba(self.target_, Z)
        return [self._choose(codes, p_source[a:b], p_target[a:b]) if codes else (None, None)
                for codes, (a, b) in zip(all_codes, spans, strict=True)]


def first_two_baseline(text: str) -> tuple[str | None, str | None]:
    """The baseline: the first actor mentioned is the source, the second the target."""
    codes = []
    for m in find_mentions(text):
        if m.code not in codes:
            codes.append(m.code)
    return (codes[0] if codes else None, codes[1] if len(codes) > 1 else None)
