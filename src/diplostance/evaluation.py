"""Measure a model: test-split metrics, baselines, calibration, actors and real-text benchmarks.

The real-text benchmarks live outside the project, in ``../shared/benchmarks/`` (see its
README); :func:`run_benchmarks` reads them when the folder exists and returns ``None``
otherwise, so a user's checkout skips them cleanly.
"""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import (
    accuracy_score,
    confusion_matrix,
    f1_score,
    mean_absolute_error,
    precision_recall_fscore_support,
)

from .taxonomy import (
    ACTION_TYPES,
    CAMEO_161_GROUP,
    SEVERITIES,
    action_info,
    cameo_to_actions,
)

BENCHMARK_DIR = Path("..") / "shared" / "benchmarks"
"""Where the real-text benchmarks are, relative to the project root (make runs there)."""
COOPERATIVE = np.array([action_info(a).quad_class.endswith("cooperation") for a in ACTION_TYPES])
CONFLICTUAL = np.array([action_info(a).quad_class.endswith("conflict") for a in ACTION_TYPES])
GOLDSTEIN = np.array([action_info(a).goldstein for a in ACTION_TYPES])


def expected_calibration_error(proba: np.ndarray, y_true_index: np.ndarray,
                               n_bins: int = 10) -> float:
    """Top-label expected calibration error (equal-width bins).

    >>> round(expected_calibration_error(np.array([[0.9, 0.1], [0.6, 0.4]]), np.array([0, 1])), 2)
    0.35
    """
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y_true_index
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    ece = 0.0
    for b in range(n_bins):
        in_bin = bins == b
        if in_bin.any():
            ece += in_bin.mean() * abs(correct[in_bin].mean() - confidence[in_bin].mean())
    return float(ece)


def reliability(proba: np.ndarray, y_true_index: np.ndarray, n_bins: int = 10
                ) -> list[dict[str, float]]:
    """Reliability table: per confidence bin, mean confidence, accuracy and count."""
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == y_true_index
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    return [{"bin": b / n_bins, "confidence": float(confidence[bins == b].mean()),
             "accuracy": float(correct[bins == b].mean()), "count": int((bins == b).sum())}
            for b in range(n_bins) if (bins == b).any()]


def severity_metrics(true: list[str], pred: list[str]) -> dict[str, float]:
    """Accuracy, macro-F1, within-one accuracy and mean absolute error of severity."""
    t = np.array([SEVERITIES.index(s) for s in true])
    p = np.array([SEVERITIES.index(s) for s in pred])
    return {"accuracy": float(accuracy_score(t, p)),
            "macro_f1": float(f1_score(t, p, average="macro", labels=sorted(set(t)),
                                       zero_division=0)),
            "within_one": float(np.mean(np.abs(t - p) <= 1)),
            "mae": float(mean_absolute_error(t, p))}


def majority_severity(actions: list[str], severities: list[str]) -> dict[str, str]:
    """Most frequent severity of each action type in a training set (the baseline)."""
    counts: dict[str, Counter] = {}
    for a, s in zip(actions, severities, strict=True):
        counts.setdefault(a, Counter())[s] += 1
    overall = Counter(severities).most_common(1)[0][0]
    return {a: (counts[a].most_common(1)[0][0] if a in counts else overall)
            for a in ACTION_TYPES}


def evaluate_split(model, records: list[dict[str, Any]], texts: list[str],
                   baseline: dict[str, str]) -> dict[str, Any]:
    """All metrics of a model on one labelled split (texts are the composed articles)."""
    from .actors import first_two_baseline

    clf = model.classifier
    p_action, p_severity = clf.proba_from_features(clf.transform(texts))
    pred_action = [ACTION_TYPES[i] for i in p_action.argmax(axis=1)]
    pred_sev = [SEVERITIES[i] for i in p_severity.argmax(axis=1)]
    true_action = [r["action_type"] for r in records]
    true_sev = [r["severity"] for r in records]
    labels = list(ACTION_TYPES)
    p, r, f, support = precision_recall_fscore_support(true_action, pred_action, labels=labels,
                                                       zero_division=0)
    present = [lab for lab in labels if lab in set(true_action)]
    action = {
        "accuracy": float(accuracy_score(true_action, pred_action)),
        "macro_f1": float(f1_score(true_action, pred_action, labels=present, average="macro",
                                   zero_division=0)),
        "ece": expected_calibration_error(p_action,
                                          np.array([ACTION_TYPES.index(a) for a in true_action])),
        "per_class": {lab: {"precision": float(p[i]), "recall": float(r[i]), "f1": float(f[i]),
                            "support": int(support[i])} for i, lab in enumerate(labels)},
        "confusion": confusion_matrix(true_action, pred_action, labels=labels).tolist(),
        "reliability": reliability(p_action,
                                   np.array([ACTION_TYPES.index(a) for a in true_action])),
    }
    severity = severity_metrics(true_sev, pred_sev)
    severity["ece"] = expected_calibration_error(
        p_severity, np.array([SEVERITIES.index(s) for s in true_sev]))
    severity["confusion"] = confusion_matrix(true_sev, pred_sev, labels=list(SEVERITIES)).tolist()
    base = severity_metrics(true_sev, [baseline[a] for a in pred_action])
    out: dict[str, Any] = {"n": len(records), "action": action, "severity": severity,
                           "severity_baseline": base}
    if model.actors is not None:
        acted = [i for i, rec in enumerate(records) if rec["action_type"] != "none"]
        pairs = [model.actors.predict_one(texts[i], pred_action[i]) for i in acted]
        base_pairs = [first_two_baseline(texts[i]) for i in acted]

        def dyad_scores(found: list[tuple[str | None, str | None]]) -> dict[str, float]:
            src = [found[k][0] == records[i]["source"] for k, i in enumerate(acted)]
            tgt = [found[k][1] == records[i]["target"] for k, i in enumerate(acted)]
            return {"source_accuracy": float(np.mean(src)), "target_accuracy": float(np.mean(tgt)),
                    "dyad_accuracy": float(np.mean(np.logical_and(src, tgt))), "n": len(acted)}

        if acted:
            out["actors"] = dyad_scores(pairs)
            out["actors_baseline"] = dyad_scores(base_pairs)
    return out


def _read_tsv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))


def _direction(p_action: np.ndarray) -> np.ndarray:
    """+1 where cooperative mass exceeds conflictual mass, -1 otherwise."""
    return np.where(p_action[:, COOPERATIVE].sum(1) >= p_action[:, CONFLICTUAL].sum(1), 1, -1)


def _strict_direction(p_action: np.ndarray) -> np.ndarray:
    """+1 / -1 / 0 from the quad class of the predicted action (0 = none)."""
    top = p_action.argmax(axis=1)
    return np.where(COOPERATIVE[top], 1, np.where(CONFLICTUAL[top], -1, 0))


def run_benchmarks(model, directory: str | Path | None = None) -> dict[str, Any] | None:
    """Real-text benchmarks as ``../shared/benchmarks/README.md`` describes; None if absent."""
    directory = Path(directory) if directory else BENCHMARK_DIR
    if not (directory / "cameo_manual_examples.tsv").exists():
        return None
    clf = model.classifier
    results: dict[str, Any] = {"source": str(directory.resolve())}

    rows = _read_tsv(directory / "cameo_manual_examples.tsv")
    p_action, _ = clf.proba_from_features(clf.transform([r["text"] for r in rows]))
    pred = [ACTION_TYPES[i] for i in p_action.argmax(axis=1)]
    mapped, hits, none_rows, none_hits = 0, 0, 0, 0
    per_action: dict[str, list[int]] = {}
    for row, guess in zip(rows, pred, strict=True):
        gold = cameo_to_actions(row["code"])
        if not gold:
            continue
        if gold == {"none"}:
            none_rows += 1
            none_hits += guess == "none"
            continue
        if gold & CAMEO_161_GROUP:
            gold = gold | CAMEO_161_GROUP
        mapped += 1
        ok = guess in gold
        hits += ok
        for g in gold:
            per_action.setdefault(g, [0, 0])
            per_action[g][0] += ok
            per_action[g][1] += 1
    scored = [i for i, r in enumerate(rows) if r.get("goldstein_gdelt", "").strip()]
    goldstein_true = np.array([float(rows[i]["goldstein_gdelt"]) for i in scored])
    goldstein_pred = p_action[scored] @ GOLDSTEIN
    results["cameo_manual_examples"] = {
        "rows": len(rows), "mapped_rows": mapped,
        "action_accuracy": hits / mapped if mapped else None,
        "none_rows": none_rows, "none_recall": none_hits / none_rows if none_rows else None,
        "goldstein_pearson": float(np.corrcoef(goldstein_true, goldstein_pred)[0, 1]),
        "per_action_accuracy": {a: v[0] / v[1] for a, v in sorted(per_action.items())},
    }

    for name, label_col, coop, conf in (
        ("conflibert_cameo_class", "penta_label", {"1", "2"}, {"3", "4"}),
        ("un_quadclass", "quad_label", {"2", "4"}, {"1", "3"}),
    ):
        path = directory / f"{name}.tsv"
        if not path.exists():
            continue
        rows = _read_tsv(path)
        if name == "conflibert_cameo_class":
            rows = [r for r in rows if r.get("split") == "test"] or rows
        p_action, _ = clf.proba_from_features(clf.transform([r["text"] for r in rows]))
        gold = np.array([1 if r[label_col] in coop else -1 if r[label_col] in conf else 0
                         for r in rows])
        directed = gold != 0
        strict = _strict_direction(p_action)
        top = p_action.argmax(axis=1)
        results[name] = {
            "rows": len(rows), "directed_rows": int(directed.sum()),
            "direction_accuracy": float(np.mean(_direction(p_action)[directed]
                                                == gold[directed])),
            "strict_direction_accuracy": float(np.mean(strict[directed] == gold[directed])),
            "neutral_rows": int((~directed).sum()),
            "neutral_as_none": float(np.mean(np.array(ACTION_TYPES)[top[~directed]] == "none"))
            if (~directed).any() else None,
        }
        if name == "conflibert_cameo_class":
            results[name]["split"] = "test"
    return results
