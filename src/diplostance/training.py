"""Train a model from a recipe: load, search, fit, evaluate, write ``model/``.

A recipe is a TOML file in ``train/`` holding everything that decides the model: the
corpus split, the feature options, the two heads, the hyperparameter grid and the seed.
Hyperparameters are chosen by k-fold cross-validation on the training split only; the
test split is read once, for the final report.
"""

from __future__ import annotations

import inspect
import itertools
import json
import platform
import subprocess
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from joblib import Parallel, delayed
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

from .actors import ActorModel
from .corpus import SplitConfig, compose_article, corpus_hash, read_records, split_records
from .evaluation import evaluate_split, majority_severity
from .evidence import split_sentences
from .features import DEFAULT_FEATURES, build_vectorizer
from .model import StanceClassifier, build_head
from .prediction import StanceModel

DEFAULT_RECIPE = Path("train") / "default.toml"


@dataclass
class Recipe:
    """A parsed training recipe (see ``train/default.toml`` for every key)."""

    data: dict[str, Any] = field(default_factory=dict)
    features: dict[str, Any] = field(default_factory=dict)
    action_head: dict[str, Any] = field(default_factory=dict)
    severity_head: dict[str, Any] = field(default_factory=dict)
    actors: dict[str, Any] = field(default_factory=dict)
    search: dict[str, Any] = field(default_factory=dict)
    seed: int = 13
    name: str = "recipe"
    raw: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, raw: dict[str, Any], name: str = "recipe") -> Recipe:
        known = {"data", "features", "action_head", "severity_head", "actors", "search", "seed"}
        unknown = set(raw) - known - {"name", "description", "constrain_severity"}
        if unknown:
            raise ValueError(f"{name}: unknown recipe section(s) {sorted(unknown)}")
        bad = set(raw.get("features", {})) - set(DEFAULT_FEATURES)
        if bad:
            raise ValueError(f"{name}: unknown feature option(s) {sorted(bad)}")
        bad = set(raw.get("actors", {})) - set(inspect.signature(ActorModel).parameters)
        if bad:
            raise ValueError(f"{name}: unknown actors option(s) {sorted(bad)}")
        return cls(data=raw.get("data", {}), features=raw.get("features", {}),
                   action_head=raw.get("action_head", {}),
                   severity_head=raw.get("severity_head", {}), actors=raw.get("actors", {}),
                   search=raw.get("search", {}), seed=int(raw.get("seed", 13)),
                   name=raw.get("name", name), raw=raw)

    @classmethod
    def load(cls, path: str | Path) -> Recipe:
        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ValueError(f"{path}: recipe not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: invalid TOML ({exc})") from None
        return cls.from_dict(raw, name=str(path))

    def split(self) -> SplitConfig:
        return SplitConfig(test_size=float(self.data.get("test_size", 0.15)),
                           validation_size=float(self.data.get("validation_size", 0.10)),
                           seed=int(self.data.get("seed", self.seed)))


def _head(options: dict[str, Any], seed: int, for_search: bool = False, n_jobs: int = 1,
          **override: Any):
    opts = {**options, **override}
    calibration = opts.get("calibration") or None
    if calibration == "none" or (for_search and calibration == "temperature"):
        # Temperature scaling never changes the arg-max, so the search can skip it.
        calibration = None
    return build_head(kind=opts.get("kind", "logreg"), C=float(opts.get("C", 1.0)),
                      calibration=calibration, class_weight=opts.get("class_weight", "balanced"),
                      seed=seed, calibration_folds=int(opts.get("calibration_folds", 3)),
                      n_jobs=n_jobs)


def _grid(section: dict[str, Any]) -> list[dict[str, Any]]:
    keys = sorted(section)
    return [dict(zip(keys, values, strict=True))
            for values in itertools.product(*(section[k] for k in keys))] or [{}]


def sentence_views(records: list[dict[str, Any]], modes: list[str]) -> list[list[str]]:
    """Extra short training views of each article: its headline and / or its lede sentence.

    Real news often reaches the model as a single sentence or a headline; training on
    these views of our articles, with the article's labels, teaches it to read them.
    """
    views = []
    for r in records:
        extra = []
        if "title" in modes and r["title"].strip():
            extra.append(r["title"].strip())
        if "lede" in modes:
            sentences = split_sentences(r["text"])
            if len(sentences) > 1:
                extra.append(sentences[0])
        views.append(extra)
    return views


def _with_views(texts: list[str], y: np.ndarray, views: list[list[str]], idx
                ) -> tuple[list[str], np.ndarray]:
    X = [texts[i] for i in idx] + [v for i in idx for v in views[i]]
    rows = [y[i] for i in idx] + [y[i] for i in idx for _ in views[i]]
    return X, np.array(rows, dtype=object)


def _fold_scores(texts, y, views, train_idx, val_idx, feature_opts, recipe, action_grid,
                 sev_grid):
    vec = build_vectorizer(feature_opts)
    X_train, y_train = _with_views(texts, y, views, train_idx)
    Z_train = vec.fit_transform(X_train)
    Z_val = vec.transform([texts[i] for i in val_idx])
    scores = {}
    for params in action_grid:
        head = _head(recipe.action_head, recipe.seed, for_search=True, **params)
        head.fit(Z_train, y_train[:, 0])
        scores[("action", tuple(sorted(params.items())))] = f1_score(
            y[val_idx, 0], head.predict(Z_val), average="macro")
    for params in sev_grid:
        head = _head(recipe.severity_head, recipe.seed, for_search=True, **params)
        head.fit(Z_train, y_train[:, 1])
        scores[("severity", tuple(sorted(params.items())))] = f1_score(
            y[val_idx, 1], head.predict(Z_val), average="macro")
    return scores


def search(texts: list[str], y: np.ndarray, recipe: Recipe, n_jobs: int = 2,
           views: list[list[str]] | None = None) -> dict[str, Any]:
    """Cross-validated choice of feature options and head hyperparameters.

    The grid's ``features`` options are crossed; for each, the action head's and the
    severity head's parameters are scored by macro-F1 over the folds.
    """
    grid = recipe.search.get("grid", {})
    feature_grid = _grid(grid.get("features", {}))
    action_grid = _grid(grid.get("action_head", {}))
    sev_grid = _grid(grid.get("severity_head", {}))
    folds = int(recipe.search.get("folds", 3))
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=recipe.seed)
    splits = list(splitter.split(texts, y[:, 0]))
    jobs = [(f_opts, tr, va) for f_opts in feature_grid for tr, va in splits]
    views = views or [[] for _ in texts]
    results = Parallel(n_jobs=n_jobs)(
        delayed(_fold_scores)(texts, y, views, tr, va, {**recipe.features, **f_opts}, recipe,
                              action_grid, sev_grid)
        for f_opts, tr, va in jobs)
    table = []
    for k, f_opts in enumerate(feature_grid):
        fold_results = results[k * folds:(k + 1) * folds]
        for key in fold_results[0]:
            table.append({"features": f_opts, "head": key[0], "params": dict(key[1]),
                          "macro_f1": float(np.mean([r[key] for r in fold_results]))})
    best_action = max((row for row in table if row["head"] == "action"),
                      key=lambda row: row["macro_f1"])
    best_features = best_action["features"]
    best_sev = max((row for row in table if row["head"] == "severity"
                    and row["features"] == best_features), key=lambda row: row["macro_f1"])
    return {"folds": folds, "table": table, "features": best_features,
            "action_head": best_action["params"], "severity_head": best_sev["params"],
            "action_cv_macro_f1": best_action["macro_f1"],
            "severity_cv_macro_f1": best_sev["macro_f1"]}


def fit_model(texts: list[str], records: list[dict[str, Any]], recipe: Recipe,
              chosen: dict[str, Any] | None = None, n_jobs: int = 1) -> StanceModel:
    """Fit the classifier and the actor model with the recipe (and searched parameters)."""
    chosen = chosen or {"features": {}, "action_head": {}, "severity_head": {}}
    y = np.array([[r["action_type"], r["severity"]] for r in records], dtype=object)
    views = sentence_views(records, recipe.data.get("views", []))
    X, y_all = _with_views(texts, y, views, range(len(texts)))
    clf = StanceClassifier(
        features={**recipe.features, **chosen["features"]},
        action_head=_head(recipe.action_head, recipe.seed, n_jobs=n_jobs,
                          **chosen["action_head"]),
        severity_head=_head(recipe.severity_head, recipe.seed, n_jobs=n_jobs,
                            **chosen["severity_head"]),
        constrain_severity=bool(recipe.raw.get("constrain_severity", True)),
    ).fit(X, y_all)
    actors = ActorModel(**{key: float(value) for key, value in recipe.actors.items()})
    actors.fit(texts, [r["source"] for r in records], [r["target"] for r in records],
               [r["action_type"] for r in records])
    return StanceModel(clf, actors)


def _git_commit() -> str | None:
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], capture_output=True, text=True,
                             timeout=10, check=False)
        return out.stdout.strip() or None
    except OSError:
        return None


def versions() -> dict[str, str]:
    """Versions of Python and the libraries that decide a model's behaviour."""
    import datasets
    import sklearn

    return {"python": platform.python_version(), "scikit-learn": sklearn.__version__,
            "numpy": np.__version__, "datasets": datasets.__version__}


def train(recipe: Recipe, data: str | Path | None = None, out: str | Path = "model",
          n_jobs: int = 2, log=print, benchmarks: str | Path | None = None
          ) -> tuple[StanceModel, dict[str, Any]]:
    """Run a recipe end to end and write the model folder; returns (model, metrics)."""
    from .evaluation import run_benchmarks
    from .persistence import save_model
    from .report import write_report

    start = time.perf_counter()
    data_path = Path(data or recipe.data.get("path", "data"))
    strict = data_path.is_dir() and (data_path / "corpus").is_dir()
    records = read_records(data_path, strict=strict)
    parts = split_records(records, recipe.split())
    log(f"corpus {data_path}: {len(records)} articles; train {len(parts['train'])}, "
        f"validation {len(parts['validation'])}, test {len(parts['test'])}")
    texts = {name: [compose_article(r["title"], r["text"]) for r in rows]
             for name, rows in parts.items()}
    y_train = np.array([[r["action_type"], r["severity"]] for r in parts["train"]], dtype=object)

    t0 = time.perf_counter()
    views = sentence_views(parts["train"], recipe.data.get("views", []))
    chosen = search(texts["train"], y_train, recipe, n_jobs=n_jobs, views=views)
    search_seconds = time.perf_counter() - t0
    log(f"search ({chosen['folds']}-fold CV, {len(chosen['table'])} scores, "
        f"{search_seconds:.1f} s): features {chosen['features'] or 'recipe'}, action head "
        f"{chosen['action_head']} (CV macro-F1 {chosen['action_cv_macro_f1']:.3f}), severity "
        f"head {chosen['severity_head']} (CV macro-F1 {chosen['severity_cv_macro_f1']:.3f})")

    model = fit_model(texts["train"], parts["train"], recipe, chosen, n_jobs=n_jobs)
    baseline = majority_severity([r["action_type"] for r in parts["train"]],
                                 [r["severity"] for r in parts["train"]])
    metrics: dict[str, Any] = {
        "search": chosen,
        "validation": evaluate_split(model, parts["validation"], texts["validation"], baseline),
        "test": evaluate_split(model, parts["test"], texts["test"], baseline),
        "split_sizes": {k: len(v) for k, v in parts.items()},
    }
    train_seconds = time.perf_counter() - start
    metadata = {
        "versions": versions(),
        "corpus": {"path": str(data_path), "sha256": corpus_hash(records), "n": len(records)},
        "recipe": recipe.raw, "recipe_name": recipe.name, "seed": recipe.seed,
        "git_commit": _git_commit(), "training_seconds": round(train_seconds, 2),
        "trained_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "chosen": {k: chosen[k] for k in ("features", "action_head", "severity_head")},
    }
    out = Path(out)
    meta = save_model(model, out, metadata)
    metrics["training_seconds"] = round(train_seconds, 2)
    bench = run_benchmarks(model, benchmarks)
    if bench is not None:
        (out / "benchmarks.json").write_text(json.dumps(bench, indent=2))
    (out / "metrics.json").write_text(json.dumps(metrics, indent=2))
    write_report(out, metrics, meta, bench)
    test = metrics["test"]
    log(f"test: action macro-F1 {test['action']['macro_f1']:.3f}, accuracy "
        f"{test['action']['accuracy']:.3f}, ECE {test['action']['ece']:.3f}; severity accuracy "
        f"{test['severity']['accuracy']:.3f} (baseline {test['severity_baseline']['accuracy']:.3f})"
        f", within-one {test['severity']['within_one']:.3f}, MAE {test['severity']['mae']:.3f}")
    if "actors" in test:
        log(f"actors: dyad accuracy {test['actors']['dyad_accuracy']:.3f} (baseline "
            f"{test['actors_baseline']['dyad_accuracy']:.3f})")
    log(f"wrote {out}/ in {train_seconds:.1f} s (model {meta['model_bytes'] / 1e6:.1f} MB)")
    return model, metrics
