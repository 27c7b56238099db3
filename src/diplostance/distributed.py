"""Score inputs on a Dask cluster: ``diplostance score ... --dask ADDRESS -o OUTDIR``.

The file list is cut into fixed-size partitions of a ``dask.bag``; each partition is read,
scored and written by one task as ``OUTDIR/part-NNNNN.jsonl`` (written to a temporary name
and renamed, so a part file exists only when complete). Each worker process loads the model
once, from the model folder (which must be visible to the workers at the same path), and
keeps it for every later task. ``OUTDIR/manifest.json`` records counts, failures and the
model version; ``--resume`` re-runs only the partitions whose part file is missing.

Needs the optional extra: ``pip install 'diplostance[dask]'``.
"""

from __future__ import annotations

import json
import os
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any

from .readers import ReadError, ReadOptions, expand_paths, read_path

DEFAULT_PARTITION_FILES = 500
INSTALL_HINT = ("--dask needs the optional Dask extra: pip install 'diplostance[dask]' "
                "(or pip install 'dask[bag]' distributed)")


@lru_cache(maxsize=2)
def _worker_model(model_dir: str):
    """The model, loaded once per worker process (tasks reuse it)."""
    from .persistence import load_model

    return load_model(model_dir)


def score_partition(index: int, files: list[str], model_dir: str, out_dir: str,
                    options: ReadOptions, explain: bool = False) -> dict[str, Any]:
    """Score one partition's files into ``part-<index>.jsonl``; returns its counts."""
    from .scoring import RecordWriter, _batches, _score_items

    model = _worker_model(model_dir)
    final = Path(out_dir) / f"part-{index:05d}.jsonl"
    tmp = final.with_name(f".{final.name}.tmp")
    n_ok, errors = 0, []
    with open(tmp, "w", encoding="utf-8") as handle:
        writer = RecordWriter(handle, "jsonl", explain)
        items = (item for path in files for item in read_path(path, options))
        for batch in _batches(items, 256):
            records = []
            for result in _score_items(model, batch, explain):
                if isinstance(result, ReadError):
                    errors.append(str(result))
                else:
                    n_ok += 1
                    records.append(result.record(explain))
            writer.write(records)
    os.replace(tmp, final)
    return {"partition": index, "part": final.name, "files": len(files), "articles": n_ok,
            "errors": errors, "model_version": model.version}


def _client(address: str):
    from distributed import Client, LocalCluster

    if address.startswith("local"):
        _, _, count = address.partition(":")
        n = int(count) if count else (os.cpu_count() or 1)
        cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    return Client(address), None


def plan_partitions(paths: list[str], size: int) -> tuple[list[list[str]], list[ReadError]]:
    """Deterministic partitions of the expanded file list, and the path errors found."""
    files, errors = [], []
    for item in expand_paths(paths):
        if isinstance(item, ReadError):
            errors.append(item)
        elif item == "-":
            errors.append(ReadError("-", None, "standard input cannot be scored with --dask"))
        else:
            files.append(item)
    return [files[i:i + size] for i in range(0, len(files), size)], errors


def score_on_dask(args) -> int:
    """The ``--dask`` branch of ``diplostance score`` (returns the exit code)."""
    try:
        import dask.bag as db
        import distributed  # noqa: F401
    except ImportError:
        print(f"diplostance: {INSTALL_HINT}", file=sys.stderr)
        return 2
    from .persistence import load_model

    if not args.output:
        print("diplostance: --dask needs -o OUTDIR (a folder for the part files)",
              file=sys.stderr)
        return 2
    model_dir = str(Path(args.model).resolve())
    model = load_model(model_dir)  # fail fast here rather than on every worker
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    size = int(getattr(args, "partition_files", None) or DEFAULT_PARTITION_FILES)
    partitions, path_errors = plan_partitions(args.paths, size)
    todo = [(i, files) for i, files in enumerate(partitions)
            if not (args.resume and (out / f"part-{i:05d}.jsonl").exists())]
    options = ReadOptions(text_field=args.text_field, id_field=args.id_field,
                          max_bytes=args.max_bytes)
    for error in path_errors:
        print(f"diplostance: error: {error}", file=sys.stderr)
    client, cluster = _client(args.dask)
    try:
        bag = db.from_sequence(todo, npartitions=max(1, len(todo)))
        results = bag.map(lambda task: score_partition(task[0], task[1], model_dir, str(out),
                                                       options, args.explain)).compute()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    manifest_path = out / "manifest.json"
    previous = {}
    if args.resume and manifest_path.exists():
        previous = {p["partition"]: p for p in json.loads(manifest_path.read_text())["parts"]}
    for result in results:
        previous[result["partition"]] = result
        for error in result["errors"]:
            print(f"diplostance: error: {error}", file=sys.stderr)
    parts = [previous[i] for i in sorted(previous)]
    n_err = sum(len(p["errors"]) for p in parts) + len(path_errors)
    manifest = {
        "model_version": model.version, "model": model_dir, "inputs": list(args.paths),
        "partitions": len(partitions), "partition_files": size,
        "articles": sum(p["articles"] for p in parts), "errors": n_err,
        "failures": [e for p in parts for e in p["errors"]] + [str(e) for e in path_errors],
        "parts": parts,
    }
    tmp = manifest_path.with_name(".manifest.json.tmp")
    tmp.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    os.replace(tmp, manifest_path)
    if not args.quiet:
        print(f"diplostance: scored {manifest['articles']} articles in {len(partitions)} "
              f"partitions ({len(results)} run now) on Dask, {n_err} failed; "
              f"manifest {manifest_path}", file=sys.stderr)
    return 1 if n_err else 0
