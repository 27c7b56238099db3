"""Loading a corpus: schema, ClassLabel features, deterministic stratified splits, errors."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from datasets import DatasetDict

from diplostance.corpus import CorpusError, SplitConfig, load_corpus, read_records, split_records
from diplostance.taxonomy import ACTION_TYPES, SEVERITIES

from .conftest import fixture_records


def _many(n_per_label: int = 20) -> list[dict]:
    rows = []
    for k, action in enumerate(["agreement", "sanctions", "none"]):
        severity = {"agreement": "none", "sanctions": "high", "none": "none"}[action]
        for i in range(n_per_label):
            rows.append({"id": f"{action}-{i}", "title": f"t{i}", "text": f"text {k} {i}",
                         "action_type": action, "severity": severity})
    return rows


def _write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def test_load_returns_datasetdict_with_taxonomy_classlabels(tmp_path):
    """The loader returns train / validation / test with ClassLabel names from the taxonomy."""
    ds = load_corpus(_write_jsonl(tmp_path / "c.jsonl", _many()))
    assert isinstance(ds, DatasetDict) and set(ds) == {"train", "validation", "test"}
    assert ds["train"].features["action_type"].names == list(ACTION_TYPES)
    assert ds["test"].features["severity"].names == list(SEVERITIES)
    assert sum(len(ds[s]) for s in ds) == 60


def test_split_is_deterministic_stratified_and_keeps_test_share(tmp_path):
    """Same seed, same split whatever the file order; every label is in the test split."""
    rows = _many(40)
    a = split_records(read_records(_write_jsonl(tmp_path / "a.jsonl", rows)))
    b = split_records(read_records(_write_jsonl(tmp_path / "b.jsonl", rows[::-1])))
    assert [r["id"] for r in a["test"]] == [r["id"] for r in b["test"]]
    assert len(a["test"]) / len(rows) >= 0.15
    assert {r["action_type"] for r in a["test"]} == {"agreement", "sanctions", "none"}
    other = split_records(read_records(tmp_path / "a.jsonl"), SplitConfig(seed=99))
    assert [r["id"] for r in other["test"]] != [r["id"] for r in a["test"]]


def test_csv_and_folder_corpora_load_like_jsonl(tmp_path):
    """A CSV file and a folder of files give the same records as JSON Lines."""
    rows = _many(5)
    folder = tmp_path / "folder"
    folder.mkdir()
    _write_jsonl(folder / "part1.jsonl", rows[:7])
    with open(folder / "part2.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows[7:])
    loaded = read_records(folder)
    assert [r["id"] for r in loaded] == sorted(r["id"] for r in rows)
    assert {r["text"] for r in loaded} == {r["text"] for r in rows}


BAD_RECORDS = [
    ({"id": "x", "text": "t", "action_type": "recall", "severity": "high"},
     "unknown action_type 'recall'"),
    ({"id": "x", "text": "  ", "action_type": "none", "severity": "none"}, "empty text"),
    ({"id": "x", "text": "t", "severity": "none"}, "missing field(s) action_type"),
    ({"id": "x", "text": "t", "action_type": "none", "severity": "medium"},
     "unknown severity 'medium'"),
    ({"id": "x", "text": "t", "action_type": "none", "severity": "none", "source": "XXX"},
     "unknown source actor code 'XXX'"),
]


@pytest.mark.parametrize(("record", "message"), BAD_RECORDS)
def test_bad_record_error_names_file_and_line(tmp_path, record, message):
    """A bad record raises CorpusError with the file, the line and the reason."""
    good = {"id": "ok", "text": "fine", "action_type": "none", "severity": "none"}
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(good) + "\n\n" + json.dumps(record) + "\n")
    with pytest.raises(CorpusError) as info:
        read_records(path)
    assert str(info.value) == f"{path}:3: {message}"


def test_malformed_json_and_duplicate_ids_are_reported(tmp_path):
    """Malformed JSON and a repeated id are reported with their line."""
    path = tmp_path / "c.jsonl"
    path.write_text('{"id": "a", "text": "t", "action_type": "none", "severity": "none"}\n{oops\n')
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: malformed JSON"):
        read_records(path)
    row = {"id": "a", "text": "t", "action_type": "none", "severity": "none"}
    _write_jsonl(path, [row, row])
    with pytest.raises(CorpusError, match=r"c\.jsonl:2: duplicate id 'a' \(first at .*:1\)"):
        read_records(path)


def test_csv_error_gives_the_physical_line(tmp_path):
    """In a CSV corpus, the reported line is the row's line in the file."""
    path = tmp_path / "c.csv"
    path.write_text("id,text,action_type,severity\na,ok,none,none\nb,ok,unknown_x,none\n")
    with pytest.raises(CorpusError, match=r"c\.csv:3: unknown action_type"):
        read_records(path)


def test_strict_schema_rejects_out_of_range_severity(tmp_path):
    """The project's own schema refuses a severity outside the action's taxonomy range."""
    row = dict(fixture_records()[0], severity="low")
    path = _write_jsonl(tmp_path / "c.jsonl", [row])
    read_records(path)  # fine for a user's corpus
    with pytest.raises(CorpusError, match="outside the taxonomy's range"):
        read_records(path, strict=True)


def test_unsupported_or_missing_path_is_a_clear_error(tmp_path):
    """A missing path or an unknown file type names the path."""
    with pytest.raises(CorpusError, match="no such file"):
        read_records(tmp_path / "nope.jsonl")
    (tmp_path / "c.xml").write_text("<x/>")
    with pytest.raises(CorpusError, match="unsupported corpus format"):
        read_records(tmp_path / "c.xml")
