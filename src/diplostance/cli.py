"""The ``diplostance`` command: train, evaluate, score, corpus-stats, audit.

Usage errors exit 2, runtime failures exit 1; a scoring run where some inputs failed exits 1
after scoring all the others. ``main(argv)`` is the entry point tests call.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from . import __version__

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def _err(message: str) -> None:
    print(f"diplostance: {message}", file=sys.stderr)


def cmd_train(args: argparse.Namespace) -> int:
    from .training import Recipe, train

    recipe = Recipe.load(args.recipe)
    train(recipe, data=args.data, out=args.out, n_jobs=args.jobs,
          benchmarks=args.benchmarks)
    return EXIT_OK


def cmd_evaluate(args: argparse.Namespace) -> int:
    from .corpus import compose_article, read_records, split_records
    from .evaluation import evaluate_split, majority_severity, run_benchmarks
    from .persistence import load_model
    from .report import write_report
    from .training import Recipe

    model = load_model(args.model)
    meta = model.metadata
    recipe = Recipe.from_dict(meta.get("recipe", {}), meta.get("recipe_name", "recipe"))
    data = Path(args.data or meta["corpus"]["path"])
    strict = data.is_dir() and (data / "corpus").is_dir()
    parts = split_records(read_records(data, strict=strict), recipe.split())
    baseline = majority_severity([r["action_type"] for r in parts["train"]],
                                 [r["severity"] for r in parts["train"]])
    test = evaluate_split(model, parts["test"],
                          [compose_article(r["title"], r["text"]) for r in parts["test"]],
                          baseline)
    act, sev, base = test["action"], test["severity"], test["severity_baseline"]
    print(f"test split ({test['n']} articles of {data})")
    print(f"  action    accuracy {act['accuracy']:.3f}  macro-F1 {act['macro_f1']:.3f}  "
          f"ECE {act['ece']:.3f}")
    print(f"  severity  accuracy {sev['accuracy']:.3f}  macro-F1 {sev['macro_f1']:.3f}  "
          f"within-one {sev['within_one']:.3f}  MAE {sev['mae']:.3f}  ECE {sev['ece']:.3f}")
    print(f"  severity baseline (majority per predicted action): accuracy "
          f"{base['accuracy']:.3f}  macro-F1 {base['macro_f1']:.3f}  within-one "
          f"{base['within_one']:.3f}  MAE {base['mae']:.3f}")
    if "actors" in test:
        a, b = test["actors"], test["actors_baseline"]
        print(f"  actors    source {a['source_accuracy']:.3f}  target {a['target_accuracy']:.3f}"
              f"  dyad {a['dyad_accuracy']:.3f}   (baseline first/second mention: dyad "
              f"{b['dyad_accuracy']:.3f})")
    print("  per action type (precision / recall / F1 / support):")
    for label, row in act["per_class"].items():
        print(f"    {label:24s} {row['precision']:.3f} {row['recall']:.3f} {row['f1']:.3f} "
              f"{row['support']:4d}")
    bench = run_benchmarks(model, args.benchmarks)
    out = Path(args.model)
    if bench is None:
        print("real-text benchmarks: skipped (../shared/benchmarks/ not found)")
    else:
        (out / "benchmarks.json").write_text(json.dumps(bench, indent=2))
        cameo = bench["cameo_manual_examples"]
        print(f"real-text benchmarks ({bench['source']}):")
        print(f"  CAMEO codebook examples: action accuracy {cameo['action_accuracy']:.3f} on "
              f"{cameo['mapped_rows']} mapped rows; none recall {cameo['none_recall']:.3f} on "
              f"{cameo['none_rows']}; Goldstein r {cameo['goldstein_pearson']:.3f}")
        for name in ("conflibert_cameo_class", "un_quadclass"):
            if name in bench:
                b = bench[name]
                print(f"  {name}: cooperation-vs-conflict accuracy {b['direction_accuracy']:.3f}"
                      f" (strict quad class {b['strict_direction_accuracy']:.3f}) on "
                      f"{b['directed_rows']} rows; neutral as none {b['neutral_as_none']:.3f}")
        metrics_path = out / "metrics.json"
        if metrics_path.exists():
            metrics = json.loads(metrics_path.read_text())
            write_report(out, metrics, meta, bench)
    return EXIT_OK


def cmd_score(args: argparse.Namespace) -> int:
    from .persistence import load_model
    from .readers import ReadError, ReadOptions
    from .scoring import RecordWriter, Rendered, existing_ids, score_files

    if args.workers < 1:
        _err("--workers must be at least 1")
        return EXIT_USAGE
    if args.dask:
        from .distributed import score_on_dask

        return score_on_dask(args)
    fmt = args.format or ("csv" if args.output and args.output.endswith(".csv") else "jsonl")
    skip: set[str] = set()
    if args.resume:
        if not args.output:
            _err("--resume needs -o OUT")
            return EXIT_USAGE
        skip = existing_ids(args.output, fmt)
    # Load here (a bad model folder fails before any input is read); forked workers share it.
    import multiprocessing

    loaded = load_model(args.model)
    can_share = args.workers == 1 or "fork" in multiprocessing.get_all_start_methods()
    model_source = loaded if can_share else args.model
    options = ReadOptions(text_field=args.text_field, id_field=args.id_field,
                          max_bytes=args.max_bytes)
    append = bool(args.resume and args.output and Path(args.output).exists()
                  and Path(args.output).stat().st_size > 0)
    stream = (open(args.output, "a" if append else "w", encoding="utf-8", newline="")
              if args.output else sys.stdout)
    writer = RecordWriter(stream, fmt, args.explain, header=not append)
    progress = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit=" articles", file=sys.stderr)
    n_ok = n_err = 0
    start = time.perf_counter()
    pending: list = []
    flush = writer.write_lines if fmt == "jsonl" else writer.write
    try:
        for result in score_files(args.paths, model_source, workers=args.workers,
                                  explain=args.explain, skip_ids=skip, options=options,
                                  render="jsonl" if fmt == "jsonl" else None):
            if isinstance(result, ReadError):
                n_err += 1
                if progress is not None:
                    progress.write(f"diplostance: error: {result}", file=sys.stderr)
                else:
                    _err(f"error: {result}")
                continue
            n_ok += 1
            pending.append(result.line if isinstance(result, Rendered)
                           else result.record(args.explain))
            if len(pending) >= 256:
                flush(pending)
                pending = []
            if progress is not None:
                progress.update(1)
        flush(pending)
    except KeyboardInterrupt:
        flush(pending)
        _err(f"interrupted after {n_ok} articles; rerun with --resume to continue")
        return 130
    finally:
        if progress is not None:
            progress.close()
        if args.output:
            stream.close()
    elapsed = time.perf_counter() - start
    if not args.quiet:
        skipped = f", {len(skip)} already in {args.output}" if skip else ""
        _err(f"scored {n_ok} articles in {elapsed:.1f} s, {n_err} failed{skipped}")
    return EXIT_FAILED if n_err else EXIT_OK


def cmd_corpus_stats(args: argparse.Namespace) -> int:
    from .quality import corpus_stats

    print(corpus_stats(args.data))
    return EXIT_OK


def cmd_audit(args: argparse.Namespace) -> int:
    from .quality import audit

    print(audit(args.data, folds=args.folds, threshold=args.threshold, limit=args.limit))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="diplostance",
        description="Tag diplomatic news with action type, severity and actors.")
    parser.add_argument("--version", action="version", version=f"diplostance {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("train", help="train a model from a recipe and write the model folder")
    p.add_argument("--recipe", default="train/default.toml", help="recipe TOML file")
    p.add_argument("--data", default=None, help="corpus file or folder (default: the recipe's)")
    p.add_argument("--out", default="model", help="model folder to write")
    p.add_argument("--jobs", type=int, default=2, help="parallel jobs for the search")
    p.add_argument("--benchmarks", default=None, help="benchmark folder (../shared/benchmarks)")
    p.set_defaults(func=cmd_train)

    p = sub.add_parser("evaluate", help="report the test split and the real-text benchmarks")
    p.add_argument("--model", default="model")
    p.add_argument("--data", default=None, help="corpus (default: the one it was trained on)")
    p.add_argument("--benchmarks", default=None)
    p.set_defaults(func=cmd_evaluate)

    p = sub.add_parser("score", help="tag article files (text, HTML, JSONL, CSV) or stdin")
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="files, folders, glob patterns, or - for standard input")
    p.add_argument("-o", "--output", default=None, help="output file (default: stdout)")
    p.add_argument("--format", choices=("jsonl", "csv"), default=None)
    p.add_argument("--model", default="model", help="trained model folder")
    p.add_argument("--workers", type=int, default=1, help="scoring processes")
    p.add_argument("--resume", action="store_true",
                   help="skip ids already in OUT and append the rest")
    p.add_argument("--text-field", default="text", help="JSON field / CSV column of the text")
    p.add_argument("--id-field", default="id", help="JSON field / CSV column of the id")
    p.add_argument("--max-bytes", type=int, default=10_000_000,
                   help="size limit of one file or record")
    p.add_argument("--explain", action="store_true", help="add evidence to each record")
    p.add_argument("--quiet", action="store_true", help="no progress bar or summary")
    p.add_argument("--dask", default=None, metavar="ADDRESS",
                   help="score on a Dask cluster: scheduler address, or local[:N]")
    p.add_argument("--partition-files", type=int, default=500,
                   help="files per Dask partition (with --dask)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("corpus-stats", help="counts, lengths, styles and countries of a corpus")
    p.add_argument("--data", default="data")
    p.set_defaults(func=cmd_corpus_stats)

    p = sub.add_parser("audit", help="list articles whose label a cross-validated model "
                                     "confidently disputes")
    p.add_argument("--data", default="data")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--threshold", type=float, default=0.6,
                   help="minimum probability of the disputing prediction")
    p.add_argument("--limit", type=int, default=100)
    p.set_defaults(func=cmd_audit)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    from .corpus import CorpusError
    from .persistence import ModelLoadError

    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return args.func(args)
    except (CorpusError, ModelLoadError, ValueError, OSError) as exc:
        _err(str(exc))
        return EXIT_FAILED
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        return EXIT_OK


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
