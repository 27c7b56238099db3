"""Score article files in batches, in one process or several, and write the records.

:func:`score_files` is the engine behind ``diplostance score``: it streams articles from
:mod:`diplostance.readers`, predicts them in batches and yields :class:`Scored` results
and :class:`~diplostance.readers.ReadError` errors in input order. With ``workers > 1``
the batches are scored in a process pool whose processes each load the model once.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import multiprocessing
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .corpus import compose_article
from .prediction import Prediction, StanceModel
from .readers import Article, ReadError, ReadOptions, read_all

BATCH_SIZE = 256
OUTPUT_FIELDS = ("id", "action_type", "action_probability", "top_actions", "severity",
                 "severity_probability", "quad_class", "cameo", "goldstein", "escalation",
                 "source", "target", "model_version")


@dataclass(frozen=True)
class Scored:
    """One scored article: its id, where it came from, and the prediction."""

    id: str
    prediction: Prediction
    path: str = ""
    line: int | None = None
    model_version: str = ""

    def record(self, explain: bool = False) -> dict[str, Any]:
        """The output record (the fields of :data:`OUTPUT_FIELDS`, plus evidence)."""
        pred = self.prediction.to_dict()
        out = {"id": self.id}
        for name in OUTPUT_FIELDS[1:-1]:
            out[name] = pred[name]
        out["model_version"] = self.model_version
        if explain:
            out["evidence"] = pred["evidence"]
        return out


@dataclass(frozen=True)
class Rendered:
    """A scored article already rendered as one JSON Lines record (``render="jsonl"``):
    rendering in the worker processes keeps the parent's share of the work small."""

    id: str
    line: str


Result = Scored | Rendered | ReadError


def jsonl_line(record: dict[str, Any]) -> str:
    """One output record as a JSON Lines line (UTF-8 kept as is, newline included)."""
    return json.dumps(record, ensure_ascii=False) + "\n"

_WORKER_MODEL: StanceModel | None = None


def _init_worker(model_dir: str) -> None:
    global _WORKER_MODEL
    from .persistence import load_model

    _WORKER_MODEL = load_model(model_dir)


def _score_batch(model: StanceModel, batch: list[Article], explain: bool) -> list[Scored]:
    texts = [compose_article(a.title, a.text) for a in batch]
    preds = model.predict_batch(texts, explain_=explain)
    version = model.version
    return [Scored(a.id, p, a.path, a.line, version) for a, p in zip(batch, preds, strict=True)]


def _worker_task(task: tuple[list[Article | ReadError], bool, str | None]) -> list[Result]:
    items, explain, render = task
    return _score_items(_WORKER_MODEL, items, explain, render)


def _score_items(model: StanceModel | None, items: list[Article | ReadError], explain: bool,
                 render: str | None = None) -> list[Result]:
    articles = [a for a in items if isinstance(a, Article)]
    scored = iter(_score_batch(model, articles, explain)) if articles else iter(())
    results: list[Result] = [next(scored) if isinstance(item, Article) else item
                             for item in items]
    if render == "jsonl":
        results = [Rendered(r.id, jsonl_line(r.record(explain))) if isinstance(r, Scored)
                   else r for r in results]
    return results


@contextmanager
def _frozen_heap() -> Iterator[None]:
    """Keep the objects alive now (the model, the imported modules) out of the garbage
    collector's scans while scoring: full collections do not walk them again, and forked
    workers do not write to, and so copy, the pages they share with the parent."""
    frozen_before = gc.get_freeze_count() > 0
    gc.freeze()
    try:
        yield
    finally:
        if not frozen_before:
            gc.unfreeze()


def _batches(items: Iterable[Article | ReadError], size: int
             ) -> Iterator[list[Article | ReadError]]:
    batch: list[Article | ReadError] = []
    n_articles = 0
    for item in items:
        batch.append(item)
        if isinstance(item, Article):
            n_articles += 1
        if n_articles >= size:
            yield batch
            batch, n_articles = [], 0
    if batch:
        yield batch


def score_files(paths: Iterable[str], model: StanceModel | str | Path = "model",
                workers: int = 1, explain: bool = False, skip_ids: set[str] | None = None,
                options: ReadOptions | None = None, batch_size: int = BATCH_SIZE,
                render: str | None = None) -> Iterator[Result]:
    """Score every article in ``paths``; yields results and errors in input order.

    Parameters
    ----------
    paths : iterable of str
        Files, folders (recursive), glob patterns, or ``-`` for standard input.
    model : StanceModel or path
        A loaded model or a model folder.
    workers : int
        Processes to score in (forked from this one where the platform allows, so they
        share the loaded model; otherwise each loads it once). Output order is unchanged.
    explain : bool
        Add evidence (best sentence, top terms) to every prediction.
    skip_ids : set of str, optional
        Ids to leave out (``--resume``).
    render : {"jsonl"}, optional
        Yield :class:`Rendered` JSON Lines records instead of :class:`Scored` objects.

    Examples
    --------
    >>> from diplostance.model import StanceClassifier
    >>> import tempfile, pathlib
    >>> X = ["Peru recalled its ambassador from Mexico.", "Chile and Peru signed an accord."] * 3
    >>> y = [["recall_ambassador", "high"], ["agreement", "none"]] * 3
    >>> model = StanceModel(StanceClassifier(features={"min_df": 1}).fit(X, y))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "a.txt").write_text("Ecuador and Chile signed an accord.")
    >>> _ = (folder / "b.txt").write_bytes(b"")
    >>> [getattr(r, "id", None) or str(r) for r in score_files([str(folder)], model)]
    [...a.txt', '...b.txt: empty file']
    """
    options = options or ReadOptions()
    items: Iterable[Article | ReadError] = read_all(paths, options)
    if skip_ids:
        items = (i for i in items if not (isinstance(i, Article) and i.id in skip_ids))
    if workers <= 1:
        loaded = model if isinstance(model, StanceModel) else _load(model)
        with _frozen_heap():
            for batch in _batches(items, batch_size):
                yield from _score_items(loaded, batch, explain, render)
        return
    global _WORKER_MODEL
    if "fork" in multiprocessing.get_all_start_methods():
        # Forked workers inherit the model loaded here: it is read from disk once, and the
        # processes start at once instead of re-importing scikit-learn.
        _WORKER_MODEL = model if isinstance(model, StanceModel) else _load(model)
        context = multiprocessing.get_context("fork")
        initializer, initargs = None, ()
    elif isinstance(model, StanceModel):
        raise ValueError("workers > 1 needs the model folder on this platform")
    else:  # spawn: each worker loads the model once, in its initializer
        context = multiprocessing.get_context("spawn")
        initializer, initargs = _init_worker, (str(model),)
    with _frozen_heap(), context.Pool(workers, initializer, initargs) as pool:
        tasks = ((batch, explain, render) for batch in _batches(items, batch_size))
        for results in pool.imap(_worker_task, tasks, chunksize=1):
            yield from results


def _load(path: str | Path) -> StanceModel:
    from .persistence import load_model

    return load_model(path)


# --- output ---------------------------------------------------------------------------

def _csv_value(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else value


class RecordWriter:
    """Write output records as JSON Lines or CSV, whole lines at a time.

    Each batch of records is written with one ``write`` and flushed, so an interrupted
    run leaves complete records; :func:`existing_ids` repairs a torn last line first.
    """

    def __init__(self, stream: IO[str], fmt: str = "jsonl", explain: bool = False,
                 header: bool = True) -> None:
        self.stream, self.fmt, self.explain = stream, fmt, explain
        self.fields = OUTPUT_FIELDS + (("evidence",) if explain else ())
        self.header = header and fmt == "csv"

    def write_lines(self, lines: list[str]) -> None:
        """Write already rendered JSON Lines records (see :class:`Rendered`)."""
        if lines:
            self.stream.write("".join(lines))
            self.stream.flush()

    def write(self, records: list[dict[str, Any]]) -> None:
        if not records:
            return
        if self.fmt == "jsonl":
            text = "".join(jsonl_line(r) for r in records)
        else:
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=self.fields, extrasaction="ignore",
                                    lineterminator="\n")
            if self.header:
                writer.writeheader()
                self.header = False
            for r in records:
                writer.writerow({k: _csv_value(r.get(k)) for k in self.fields})
            text = buffer.getvalue()
        self.stream.write(text)
        self.stream.flush()


def existing_ids(path: str | Path, fmt: str = "jsonl") -> set[str]:
    """Ids already in an output file (for ``--resume``), after cutting a torn last record."""
    path = Path(path)
    if not path.exists() or path.stat().st_size == 0:
        return set()
    with open(path, "rb+") as handle:
        data = handle.read()
        if not data.endswith(b"\n"):
            cut = data.rfind(b"\n") + 1
            handle.truncate(cut)
            data = data[:cut]
    text = data.decode("utf-8", errors="replace")
    ids: set[str] = set()
    if fmt == "csv":
        reader = csv.DictReader(io.StringIO(text))
        for row in reader:
            if row.get("id"):
                ids.add(row["id"])
        return ids
    good: list[str] = []
    for line in text.splitlines(keepends=True):
        try:
            ids.add(str(json.loads(line)["id"]))
            good.append(line)
        except (json.JSONDecodeError, KeyError, TypeError):
            continue
    if len(good) != len(text.splitlines()):  # drop corrupt lines so the file stays valid
        tmp = path.with_name(f".{path.name}.repair")
        tmp.write_text("".join(good), encoding="utf-8")
        os.replace(tmp, path)
    return ids
