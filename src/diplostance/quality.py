"""Corpus quality: statistics, near-duplicate and benchmark-overlap checks, label audit.

These back ``make corpus-stats``, ``make audit`` and the corpus quality-gate tests.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np

from .corpus import compose_article, read_records
from .gazetteer import load_gazetteer
from .taxonomy import ACTION_TYPES, IGO_CODES, SEVERITIES, action_info

_WORD = re.compile(r"\w+")
LENGTH_BINS = (0, 80, 150, 250, 400, 10_000)


def words(text: str) -> list[str]:
    """Lower-cased word tokens."""
    return _WORD.findall(text.lower())


def shingles(text: str, n: int = 5) -> set[str]:
    """The set of word n-grams of a text."""
    w = words(text)
    return {" ".join(w[i:i + n]) for i in range(len(w) - n + 1)}


def near_duplicates(texts: list[str], threshold: float = 0.5, n: int = 5
                    ) -> list[tuple[int, int, float]]:
    """Pairs (i, j, jaccard) of texts whose word n-gram Jaccard similarity >= threshold.

    Exact: an inverted index over shingles counts the shared n-grams of every pair that
    shares any.

    >>> near_duplicates(["a b c d e f g", "a b c d e f h", "x y z w v u t"], 0.5)
    [(0, 1, 0.5)]
    """
    sets = [shingles(t, n) for t in texts]
    index: dict[str, list[int]] = defaultdict(list)
    for i, s in enumerate(sets):
        for g in s:
            index[g].append(i)
    pairs = []
    for i, s in enumerate(sets):
        shared: Counter[int] = Counter()
        for g in s:
            for j in index[g]:
                if j > i:
                    shared[j] += 1
        for j, c in shared.items():
            jac = c / (len(s) + len(sets[j]) - c)
            if jac >= threshold:
                pairs.append((i, j, round(jac, 4)))
    return pairs


def shared_runs(texts: list[str], references: Iterable[str], n: int = 10
                ) -> list[tuple[int, str]]:
    """(text index, run) for every run of ``n`` words a text shares with any reference."""
    ref_grams = set()
    for ref in references:
        ref_grams |= shingles(ref, n)
    hits = []
    for i, text in enumerate(texts):
        common = shingles(text, n) & ref_grams
        if common:
            hits.append((i, sorted(common)[0]))
    return hits


def _table(rows: list[list[Any]], header: list[str]) -> str:
    cells = [header] + [[str(c) for c in row] for row in rows]
    widths = [max(len(r[k]) for r in cells) for k in range(len(header))]
    lines = ["  ".join(c.rjust(w) if k else c.ljust(w) for k, (c, w) in
                       enumerate(zip(row, widths, strict=True))) for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def corpus_summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts used by the statistics report and the quality gates."""
    gaz = load_gazetteer()
    lengths = [len(words(r["text"])) for r in records]
    actors: Counter[str] = Counter()
    per_article: Counter[str] = Counter()
    for r in records:
        codes = {c for c in (r["source"], r["target"]) if c}
        actors.update(c for c in (r["source"], r["target"]) if c)
        per_article.update(codes)
    states = {c for c in actors if c not in IGO_CODES}
    conflict = [r for r in records if action_info(r["action_type"]).quad_class.endswith("conflict")]
    return {
        "n": len(records),
        "by_action": Counter(r["action_type"] for r in records),
        "by_action_severity": Counter((r["action_type"], r["severity"]) for r in records),
        "by_style": Counter(r["style"] or "-" for r in records),
        "lengths": lengths,
        "short_share": float(np.mean([n < 80 for n in lengths])) if lengths else 0.0,
        "long_share": float(np.mean([n > 250 for n in lengths])) if lengths else 0.0,
        "states": states,
        "organisations": {c for c in actors if c in IGO_CODES},
        "actor_article_share": {c: n / len(records) for c, n in per_article.items()},
        "regions": Counter(gaz.region(c) or "other" for c in actors.elements()),
        "hard_negatives": sum(r["hard_negative"] for r in records if r["action_type"] == "none"),
        "near_miss_conflict_share": (float(np.mean([r["near_miss"] for r in conflict]))
                                     if conflict else 0.0),
        "background_share": float(np.mean([bool(r["background_action"]) for r in records]))
        if records else 0.0,
    }


def corpus_stats(path: str | Path = "data") -> str:
    """The text report of ``make corpus-stats``."""
    path = Path(path)
    records = read_records(path, strict=path.is_dir() and (path / "corpus").is_dir())
    s = corpus_summary(records)
    out = [f"corpus: {path} ({s['n']} articles)", "", "action type x severity:"]
    rows = []
    for action in ACTION_TYPES:
        counts = [s["by_action_severity"].get((action, sev), 0) for sev in SEVERITIES]
        rows.append([action, *[c or "." for c in counts], s["by_action"].get(action, 0)])
    rows.append(["total", *[sum(s["by_action_severity"].get((a, sev), 0) for a in ACTION_TYPES)
                            for sev in SEVERITIES], s["n"]])
    out += [_table(rows, ["action_type", *SEVERITIES, "total"]), ""]
    out.append("length in words:")
    hist, edges = np.histogram(s["lengths"], bins=LENGTH_BINS)
    peak = max(hist) or 1
    for count, lo, hi in zip(hist, edges[:-1], edges[1:], strict=True):
        label = f"{lo}-{hi - 1}" if hi < 10_000 else f"{lo}+"
        out.append(f"  {label:>9s} {count:5d} {'#' * int(40 * count / peak)}")
    out.append(f"  under 80 words: {s['short_share']:.1%}; over 250 words: {s['long_share']:.1%}; "
               f"median {int(np.median(s['lengths']))} words")
    out += ["", "styles: " + ", ".join(f"{k} {v}" for k, v in s["by_style"].most_common())]
    out += ["", f"actors: {len(s['states'])} states and {len(s['organisations'])} organisations "
                "as source or target",
            "regions (actor mentions): " + ", ".join(f"{k} {v}" for k, v in
                                                     s["regions"].most_common())]
    top = sorted(s["actor_article_share"].items(), key=lambda kv: -kv[1])[:10]
    out.append("most frequent actors (share of articles): " +
               ", ".join(f"{c} {v:.1%}" for c, v in top))
    out += ["", f"hard negatives in none: {s['hard_negatives']}; near-misses in conflictual "
                f"articles: {s['near_miss_conflict_share']:.1%}; articles with a background "
                f"action: {s['background_share']:.1%}"]
    return "\n".join(out)


def audit(path: str | Path = "data", folds: int = 5, threshold: float = 0.6,
          limit: int = 100, seed: int = 13) -> str:
    """Cross-validated predictions over the corpus; list confident disagreements.

    Every article is predicted by a model that did not see it (``folds``-fold CV). Articles
    whose given action type differs from a prediction made with probability
    >= ``threshold`` are listed, most confident first, for a human to review.
    """
    from sklearn.model_selection import StratifiedKFold

    from .model import StanceClassifier, build_head

    path = Path(path)
    records = read_records(path, strict=path.is_dir() and (path / "corpus").is_dir())
    texts = [compose_article(r["title"], r["text"]) for r in records]
    y = np.array([[r["action_type"], r["severity"]] for r in records], dtype=object)
    p_action = np.zeros((len(records), len(ACTION_TYPES)))
    p_sev = np.zeros((len(records), len(SEVERITIES)))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for train_idx, test_idx in splitter.split(texts, y[:, 0]):
        clf = StanceClassifier(action_head=build_head(C=10.0), severity_head=build_head(C=10.0))
        clf.fit([texts[i] for i in train_idx], y[train_idx])
        pa, ps = clf.predict_proba([texts[i] for i in test_idx])
        p_action[test_idx], p_sev[test_idx] = pa, ps
    flagged = []
    for i, r in enumerate(records):
        guess = int(p_action[i].argmax())
        if ACTION_TYPES[guess] != r["action_type"] and p_action[i, guess] >= threshold:
            flagged.append((p_action[i, guess], i, "action", ACTION_TYPES[guess]))
        sev_guess = int(p_sev[i].argmax())
        if (abs(sev_guess - SEVERITIES.index(r["severity"])) >= 2
                and p_sev[i, sev_guess] >= threshold):
            flagged.append((p_sev[i, sev_guess], i, "severity", SEVERITIES[sev_guess]))
    flagged.sort(reverse=True)
    accuracy = float(np.mean(p_action.argmax(1) == [ACTION_TYPES.index(a) for a in y[:, 0]]))
    out = [f"audit of {len(records)} articles ({folds}-fold cross-validated predictions; "
           f"action accuracy {accuracy:.3f}); {len(flagged)} confident disagreements "
           f"(probability >= {threshold}), showing {min(limit, len(flagged))}:", ""]
    for prob, i, head, guess in flagged[:limit]:
        r = records[i]
        given = r["action_type"] if head == "action" else f"{r['action_type']}/{r['severity']}"
        out.append(f"{r['id']}: given {given}, model says {guess} ({prob:.2f}) - {r['title']}")
    return "\n".join(out)
