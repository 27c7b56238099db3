"""Quality gates on the project's real corpus in data/corpus (the issue's minimums)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from diplostance.corpus import read_records
from diplostance.quality import corpus_summary, near_duplicates, shared_runs
from diplostance.taxonomy import ACTION_TYPES, allowed_severities

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT.parent / "shared" / "benchmarks"


@pytest.fixture(scope="module")
def records() -> list[dict]:
    return read_records(ROOT / "data", strict=True)


@pytest.fixture(scope="module")
def summary(records) -> dict:
    return corpus_summary(records)


def test_every_record_is_valid_and_ids_unique(records):
    """Strict loading succeeds (schema, labels, ranges, styles) and ids are unique."""
    assert len({r["id"] for r in records}) == len(records)
    assert all(r["source"] for r in records if r["action_type"] != "none")


def test_files_are_one_per_action_type(records):
    """data/corpus/<action_type>.jsonl holds exactly the records of that action type."""
    folder = ROOT / "data" / "corpus"
    assert sorted(p.stem for p in folder.glob("*.jsonl")) == sorted(ACTION_TYPES)
    for path in folder.glob("*.jsonl"):
        assert {r["action_type"] for r in read_records(path, strict=True)} == {path.stem}


def test_size_and_label_minimums(summary):
    """At least 2,400 articles; 100 per diplomatic type; 300 `none`, 100 hard negatives."""
    assert summary["n"] >= 2400
    for action in ACTION_TYPES:
        assert summary["by_action"][action] >= (300 if action == "none" else 100), action
    assert summary["hard_negatives"] >= 100


def test_every_allowed_severity_has_fifteen_articles(summary):
    """Each severity the taxonomy allows for an action type has at least 15 articles."""
    for action in ACTION_TYPES:
        for severity in allowed_severities(action):
            assert summary["by_action_severity"][(action, severity)] >= 15, (action, severity)


def test_length_mix(summary):
    """At least 20% briefs under 80 words and 20% long articles over 250 words."""
    assert summary["short_share"] >= 0.20
    assert summary["long_share"] >= 0.20


def test_actor_coverage_and_balance(summary):
    """150+ states and 10+ organisations; no state in more than 8% of the articles."""
    assert len(summary["states"]) >= 150
    assert len(summary["organisations"]) >= 10
    assert max(summary["actor_article_share"].values()) <= 0.08


def test_near_misses_and_background_actions(summary):
    """15%+ of conflictual articles carry a near-miss; 15%+ of all a background action."""
    assert summary["near_miss_conflict_share"] >= 0.15
    assert summary["background_share"] >= 0.15


def test_no_near_duplicate_articles(records):
    """No two articles reach word 5-gram Jaccard similarity 0.5."""
    pairs = near_duplicates([r["text"] for r in records], threshold=0.5)
    assert [(records[i]["id"], records[j]["id"], s) for i, j, s in pairs] == []


@pytest.mark.skipif(not BENCHMARKS.exists(), reason="../shared/benchmarks is not present")
def test_no_ten_word_run_shared_with_benchmarks(records):
    """No article shares a run of 10 or more words with any benchmark sentence."""
    sentences = []
    for path in sorted(BENCHMARKS.glob("*.tsv")):
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
            for row in reader:
                sentences += [row.get(k) or "" for k in ("text", "example", "description")]
    hits = shared_runs([f"{r['title']} {r['text']}" for r in records], sentences, n=10)
    assert [(records[i]["id"], run) for i, run in hits] == []
