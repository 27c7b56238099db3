"""Scoring benchmarks: throughput, worker scaling, Dask, peak memory, single-article latency.

Prints figures; asserts nothing. Needs a trained model (make train). Usage:

    python bench/bench_scoring.py [--model model] [--n 20000] [--memory-n 100000] [--quick]

Inputs are generated from the corpus: each article is built from paragraphs of several
corpus articles, trimmed to about 1.5 KB, and written as JSON Lines files of 500 records.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from diplostance import load_model
from diplostance.corpus import compose_article, read_records

ROOT = Path(__file__).resolve().parents[1]


def make_articles(n: int, seed: int = 0) -> list[dict]:
    """n articles of about 1.5 KB each, stitched from corpus paragraphs."""
    rng = random.Random(seed)
    paragraphs = [p for r in read_records(ROOT / "data", strict=False)
                  for p in r["text"].split("\n\n") if len(p) > 80]
    titles = [r["title"] for r in read_records(ROOT / "data", strict=False)]
    out = []
    for i in range(n):
        body = ""
        while len(body) < 1450:
            body += rng.choice(paragraphs) + "\n\n"
        out.append({"id": f"a{i}", "title": rng.choice(titles), "text": body[:1500].strip()})
    return out


def write_inputs(articles: list[dict], folder: Path, per_file: int = 500) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for k in range(0, len(articles), per_file):
        with open(folder / f"part{k // per_file:05d}.jsonl", "w", encoding="utf-8") as h:
            for a in articles[k:k + per_file]:
                h.write(json.dumps(a) + "\n")


# Peak resident memory of the scoring process itself: VmHWM in /proc (reset by exec),
# not ru_maxrss (which, on Linux, a child inherits from the forking parent).
_SCORE = ("import sys\n"
          "from diplostance.cli import main\n"
          "code = main(sys.argv[1:])\n"
          "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')]\n"
          "print('maxrss', hwm[0].split()[1] if hwm else 'nan', file=sys.stderr)\n"
          "sys.exit(code)\n")


def run_score(inputs: Path, out: Path, model: str, extra: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of the main `diplostance score` process."""
    cmd = [sys.executable, "-c", _SCORE, "score", str(inputs), "-o", str(out),
           "--model", model, "--quiet", *extra]
    start = time.perf_counter()
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    peak = [line for line in done.stderr.splitlines() if line.startswith("maxrss")]
    return wall, float(peak[-1].split()[1]) / 1024 if peak else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=str(ROOT / "model"))
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--memory-n", type=int, default=100000)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke run")
    parser.add_argument("--no-dask", action="store_true")
    args = parser.parse_args()
    if args.quick:
        args.n, args.memory_n = 2000, 5000
    model = load_model(args.model)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; model {model.version} "
          f"({model.metadata.get('model_bytes', 0) / 1e6:.1f} MB, trained in "
          f"{model.metadata.get('training_seconds')} s)")
    articles = make_articles(args.n)
    size = statistics.mean(len(a["text"].encode()) for a in articles)
    print(f"{args.n} generated articles, mean {size:.0f} bytes")

    texts = [compose_article(a["title"], a["text"]) for a in articles]
    clf = model.classifier
    start = time.perf_counter()
    for k in range(0, len(texts), 512):
        clf.proba_from_features(clf.transform(texts[k:k + 512]))
    bare = len(texts) / (time.perf_counter() - start)
    start = time.perf_counter()
    model.predict(texts)
    full = len(texts) / (time.perf_counter() - start)
    latencies = []
    for text in texts[:300]:
        t0 = time.perf_counter()
        model.predict(text)
        latencies.append((time.perf_counter() - t0) * 1000)
    print(f"bare pipeline predict (in memory, 1 process): {bare:8.0f} articles/s")
    print(f"model.predict with actors (in memory):        {full:8.0f} articles/s")
    print(f"one article: median {statistics.median(latencies):.2f} ms, "
          f"p95 {sorted(latencies)[int(0.95 * len(latencies))]:.2f} ms")

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        write_inputs(articles, tmp / "in")
        w1, m1 = run_score(tmp / "in", tmp / "o1.jsonl", args.model, ["--workers", "1"])
        w2, m2 = run_score(tmp / "in", tmp / "o2.jsonl", args.model, ["--workers", "2"])
        same = (tmp / "o1.jsonl").read_bytes() == (tmp / "o2.jsonl").read_bytes()
        print(f"score files -> JSONL, --workers 1: {args.n / w1:8.0f} articles/s "
              f"({w1:.1f} s wall incl. start-up; {args.n / w1 / bare:.2f}x of bare predict)")
        print(f"score files -> JSONL, --workers 2: {args.n / w2:8.0f} articles/s "
              f"({w2:.1f} s); speed-up {w1 / w2:.2f}x; identical output: {same}")
        if not args.no_dask:
            wd, _ = run_score(tmp / "in", tmp / "dask", args.model,
                              ["--dask", "local:2", "--partition-files", "4"])
            print(f"score on Dask LocalCluster, 2 workers: {args.n / wd:8.0f} articles/s "
                  f"({wd:.1f} s); Dask / --workers 2 time ratio {wd / w2:.2f}")

        big = make_articles(args.memory_n, seed=1)
        write_inputs(big, tmp / "big")
        del big
        wm, peak = run_score(tmp / "big", tmp / "big.jsonl", args.model, ["--workers", "1"])
        print(f"{args.memory_n} articles, --workers 1: {args.memory_n / wm:.0f} articles/s, "
              f"peak RSS of the scoring process {peak:.0f} MB")


if __name__ == "__main__":
    main()
