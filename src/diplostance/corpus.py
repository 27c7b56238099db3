"""Load and validate a labelled corpus and split it for training.

A corpus is JSON Lines or CSV / TSV, one article per record, in one file or a folder of
files. Every record is checked against the taxonomy; a bad record raises
:class:`CorpusError` naming the file and line.

Examples
--------
>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> rows = [{"id": f"a{i}", "title": "T", "text": "Talks held.", "action_type": "meeting_visit",
...          "severity": "none"} for i in range(20)]
>>> _ = (folder / "mine.jsonl").write_text("\\n".join(json.dumps(r) for r in rows))
>>> ds = load_corpus(folder)
>>> sorted(ds), ds["train"].features["action_type"].names[:2]
(['test', 'train', 'validation'], ['statement_support', 'meeting_visit'])
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pycountry

from .taxonomy import ACTION_TYPES, IGO_CODES, SEVERITIES, allowed_severities

CORPUS_SUFFIXES = (".jsonl", ".json", ".csv", ".tsv")
STYLES = ("wire", "brief", "analysis", "statement", "feature")
REQUIRED = ("text", "action_type", "severity")
FULL_SCHEMA = ("id", "title", "text", "action_type", "severity", "source", "target", "style")
OPTIONAL = ("date", "near_miss", "background_action", "hard_negative")


class CorpusError(ValueError):
    """A corpus record or file is invalid; ``path`` and ``line`` say where."""

    def __init__(self, path: str | Path, line: int | None, reason: str) -> None:
        self.path, self.line, self.reason = str(path), line, reason
        where = f"{path}:{line}" if line else str(path)
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True)
class SplitConfig:
    """How a corpus is split: fractions of the whole and the seed."""

    test_size: float = 0.15
    validation_size: float = 0.10
    seed: int = 13


def _valid_actor(code: Any) -> bool:
    if code is None:
        return True
    if not isinstance(code, str):
        return False
    if code in IGO_CODES:
        return True
    from .gazetteer import load_gazetteer

    return code in load_gazetteer().regions or pycountry.countries.get(alpha_3=code) is not None


def validate_record(record: dict[str, Any], path: str | Path, line: int,
                    strict: bool = False) -> dict[str, Any]:
    """Check one record and return it normalised; raise :class:`CorpusError` if invalid.

    ``strict`` applies the project's own schema (every field of :data:`FULL_SCHEMA`,
    severity inside the taxonomy's range for the action type, known style); a user's
    corpus needs only ``text``, ``action_type`` and ``severity``.
    """
    if not isinstance(record, dict):
        raise CorpusError(path, line, "record is not an object")
    needed = FULL_SCHEMA if strict else REQUIRED
    missing = [name for name in needed if name not in record]
    if missing:
        raise CorpusError(path, line, f"missing field(s) {', '.join(missing)}")
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        raise CorpusError(path, line, "empty text")
    action = record["action_type"]
    if action not in ACTION_TYPES:
        raise CorpusError(path, line, f"unknown action_type {action!r}")
    severity = record["severity"]
    if severity not in SEVERITIES:
        raise CorpusError(path, line, f"unknown severity {severity!r}")
    for field in ("source", "target"):
        value = record.get(field) or None
        if not _valid_actor(value):
            raise CorpusError(path, line, f"unknown {field} actor code {value!r}")
    if strict:
        if severity not in allowed_severities(action):
            raise CorpusError(path, line, f"severity {severity!r} outside the taxonomy's range "
                                          f"for {action}: {allowed_severities(action)}")
        if record["style"] not in STYLES:
            raise CorpusError(path, line, f"unknown style {record['style']!r}")
        if not str(record["title"]).strip():
            raise CorpusError(path, line, "empty title")
        background = record.get("background_action")
        if background is not None and background not in ACTION_TYPES:
            raise CorpusError(path, line, f"unknown background_action {background!r}")
    return {
        "id": str(record.get("id") or f"{Path(path).name}:{line}"),
        "title": str(record.get("title") or ""),
        "text": text,
        "action_type": action,
        "severity": severity,
        "source": record.get("source") or None,
        "target": record.get("target") or None,
        "style": record.get("style") or None,
        "date": record.get("date") or None,
        "near_miss": bool(record.get("near_miss", False)),
        "background_action": record.get("background_action") or None,
        "hard_negative": bool(record.get("hard_negative", False)),
    }


def _corpus_files(path: Path) -> list[Path]:
    if path.is_dir():
        corpus_dir = path / "corpus"
        root = corpus_dir if corpus_dir.is_dir() else path
        files = sorted(p for p in root.rglob("*") if p.suffix.lower() in CORPUS_SUFFIXES)
        if not files:
            raise CorpusError(path, None, f"no corpus files ({', '.join(CORPUS_SUFFIXES)}) found")
        return files
    if not path.exists():
        raise CorpusError(path, None, "no such file or directory")
    if path.suffix.lower() not in CORPUS_SUFFIXES:
        raise CorpusError(path, None, f"unsupported corpus format {path.suffix!r}; "
                                      f"use one of {', '.join(CORPUS_SUFFIXES)}")
    return [path]


def _raw_records(path: Path) -> Iterator[tuple[int, Any]]:
    suffix = path.suffix.lower()
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            if suffix in (".csv", ".tsv"):
                reader = csv.DictReader(handle, delimiter="\t" if suffix == ".tsv" else ",")
                if reader.fieldnames is None:
                    raise CorpusError(path, None, "empty file")
                line = reader.line_num
                for row in reader:
                    yield line + 1, {k: (v if v != "" else None) for k, v in row.items()}
                    line = reader.line_num
            elif suffix == ".json" and handle.read(1) == "[":
                handle.seek(0)
                for number, item in enumerate(json.load(handle), 1):
                    yield number, item
            else:
                handle.seek(0)
                for number, line in enumerate(handle, 1):
                    if line.strip():
                        try:
                            yield number, json.loads(line)
                        except json.JSONDecodeError as exc:
                            raise CorpusError(path, number, f"malformed JSON: {exc.msg}") from None
    except UnicodeDecodeError as exc:
        raise CorpusError(path, None, f"not UTF-8 text ({exc.reason})") from None
    except json.JSONDecodeError as exc:
        raise CorpusError(path, exc.lineno, f"malformed JSON: {exc.msg}") from None


def read_records(path: str | Path, strict: bool = False) -> list[dict[str, Any]]:
    """Read and validate every record of a corpus file or folder, sorted by ``id``.

    Raises :class:`CorpusError` on the first bad record or on duplicate ids.
    """
    records: list[dict[str, Any]] = []
    seen: dict[str, str] = {}
    for file in _corpus_files(Path(path)):
        for line, raw in _raw_records(file):
            record = validate_record(raw, file, line, strict=strict)
            where = f"{file}:{line}"
            if record["id"] in seen:
                raise CorpusError(file, line, f"duplicate id {record['id']!r} "
                                              f"(first at {seen[record['id']]})")
            seen[record["id"]] = where
            records.append(record)
    records.sort(key=lambda r: r["id"])
    return records


def corpus_hash(records: Iterable[dict[str, Any]]) -> str:
    """sha256 over the records' content, independent of file layout and order."""
    digest = hashlib.sha256()
    for record in sorted(records, key=lambda r: r["id"]):
        digest.update(json.dumps(record, sort_keys=True, ensure_ascii=False).encode())
    return digest.hexdigest()


def compose_article(title: str | None, text: str) -> str:
    """The model's input for one article: the headline, a blank line, then the body."""
    title = (title or "").strip()
    return f"{title}\n\n{text.strip()}" if title else text.strip()


def _stratify_keys(records: list[dict[str, Any]]) -> list[str]:
    from collections import Counter

    keys = [f"{r['action_type']}/{r['severity']}" for r in records]
    counts = Counter(keys)
    # Rare action/severity pairs fall back to the action alone so every stratum can split.
    return [k if counts[k] >= 10 else k.split("/")[0] for k in keys]


def split_records(records: list[dict[str, Any]], config: SplitConfig | None = None
                  ) -> dict[str, list[dict[str, Any]]]:
    """Deterministic stratified train / validation / test split (by action and severity)."""
    from sklearn.model_selection import train_test_split

    config = config or SplitConfig()
    records = sorted(records, key=lambda r: r["id"])
    keys = _stratify_keys(records)
    try:
        rest, test = train_test_split(records, test_size=config.test_size,
                                      random_state=config.seed, stratify=keys)
        rest_keys = _stratify_keys(rest)
        share = config.validation_size / (1.0 - config.test_size)
        train, validation = train_test_split(rest, test_size=share,
                                             random_state=config.seed, stratify=rest_keys)
    except ValueError:  # a class too small to stratify (tiny user corpora)
        rest, test = train_test_split(records, test_size=config.test_size,
                                      random_state=config.seed)
        share = config.validation_size / (1.0 - config.test_size)
        train, validation = train_test_split(rest, test_size=share, random_state=config.seed)
    return {"train": train, "validation": validation, "test": test}


def features():
    """The ``datasets.Features`` of a corpus, with ``ClassLabel`` names from the taxonomy."""
    from datasets import ClassLabel, Features, Value

    return Features({
        "id": Value("string"),
        "title": Value("string"),
        "text": Value("string"),
        "action_type": ClassLabel(names=list(ACTION_TYPES)),
        "severity": ClassLabel(names=list(SEVERITIES)),
        "source": Value("string"),
        "target": Value("string"),
        "style": Value("string"),
        "date": Value("string"),
        "near_miss": Value("bool"),
        "background_action": Value("string"),
        "hard_negative": Value("bool"),
    })


def to_dataset(records: list[dict[str, Any]]):
    """Turn validated records into a ``datasets.Dataset`` with the corpus features."""
    from datasets import Dataset

    feats = features()
    columns = {name: [r[name] for r in records] for name in feats}
    return Dataset.from_dict(columns, features=feats)


def load_corpus(path: str | Path = "data", split: SplitConfig | None = None,
                strict: bool | None = None):
    """Load a corpus as a ``datasets.DatasetDict`` with train / validation / test splits.

    Parameters
    ----------
    path : str or Path
        A JSONL / JSON / CSV / TSV file, or a folder of them (``data/`` reads ``data/corpus``).
    split : SplitConfig, optional
        Split fractions and seed; the split is stratified and deterministic.
    strict : bool, optional
        Apply the project's full schema; by default only for the project's own ``data/``.
    """
    from datasets import DatasetDict

    path = Path(path)
    if strict is None:
        strict = path.is_dir() and (path / "corpus").is_dir()
    records = read_records(path, strict=strict)
    parts = split_records(records, split)
    return DatasetDict({name: to_dataset(rows) for name, rows in parts.items()})
