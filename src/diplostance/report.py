"""Write what a training run found: the model card and the confusion-matrix plots."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from .taxonomy import ACTION_TYPES, SEVERITIES, TAXONOMY_VERSION
from .word_vectors import load_word_vectors


def plot_confusion(matrix: list[list[int]], labels: tuple[str, ...], path: Path,
                   title: str) -> None:
    """Save a row-normalised confusion matrix as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counts = np.asarray(matrix, dtype=float)
    norm = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    size = 4 + 0.45 * len(labels)
    fig, ax = plt.subplots(figsize=(size, size * 0.9))
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(len(labels)), labels, fontsize=8)
    for i in range(len(labels)):
        for j in range(len(labels)):
            if counts[i, j]:
                ax.text(j, i, int(counts[i, j]), ha="center", va="center", fontsize=7,
                        color="white" if norm[i, j] > 0.5 else "black")
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _fmt(value: Any) -> str:
    return f"{value:.3f}" if isinstance(value, float) else "-" if value is None else str(value)


def model_card(metrics: dict[str, Any], meta: dict[str, Any],
               bench: dict[str, Any] | None) -> str:
    """The Hugging Face style model card (YAML front matter, then Markdown)."""
    test = metrics["test"]
    act, sev, base = test["action"], test["severity"], test["severity_baseline"]
    lines = [
        "---",
        "library_name: sklearn",
        "pipeline_tag: text-classification",
        "language: en",
        "license: mit",
        "tags: [diplomacy, event-data, cameo, text-classification]",
        "model-index:",
        "- name: diplostance",
        "  results:",
        "  - task: {type: text-classification, name: action type}",
        "    dataset: {name: diplostance synthetic corpus (test split), type: synthetic}",
        "    metrics:",
        f"    - {{type: f1, name: action macro-F1, value: {act['macro_f1']:.4f}}}",
        f"    - {{type: accuracy, name: action accuracy, value: {act['accuracy']:.4f}}}",
        f"    - {{type: accuracy, name: severity accuracy, value: {sev['accuracy']:.4f}}}",
        f"    - {{type: accuracy, name: severity within-one, value: {sev['within_one']:.4f}}}",
        "---",
        "",
        "# diplostance model card",
        "",
        "Tags a news article with the primary inter-state diplomatic action it reports "
        f"(20 action types, taxonomy {TAXONOMY_VERSION}), how far it strains relations "
        "(5 ordered severity levels), the source and target actors, and the taxonomy's derived "
        "fields (quad class, CAMEO reference code, Goldstein value, escalation score).",
        "",
        "## Training data",
        "",
        f"The project's corpus (`{meta['corpus']['path']}`, {meta['corpus']['n']} articles, "
        f"sha256 `{meta['corpus']['sha256'][:16]}...`). **The corpus is synthetic**: every "
        "article was written by the project for training; see `data/DATASHEET.md`. Figures on "
        "its test split measure agreement with our own writing; the real-text benchmarks "
        "below are the honest measure of transfer to real news.",
        "",
        "## Model",
        "",
        f"scikit-learn {meta['versions']['scikit-learn']}; recipe `{meta.get('recipe_name')}`, "
        f"seed {meta.get('seed')}. Chosen by {metrics['search']['folds']}-fold cross-validation "
        f"on the training split: features {metrics['search']['features'] or '(recipe)'}, "
        f"action head {metrics['search']['action_head']}, severity head "
        f"{metrics['search']['severity_head']}. Trained in {meta['training_seconds']} s; "
        f"file {meta['model_bytes'] / 1e6:.1f} MB, sha256 `{meta['model_sha256'][:16]}...`.",
        "",
        *_features_paragraph(meta),
        "## Results on the test split",
        "",
        f"{test['n']} articles.",
        "",
        "| head | accuracy | macro-F1 | within-one | MAE | ECE |",
        "|---|---|---|---|---|---|",
        f"| action type | {act['accuracy']:.3f} | {act['macro_f1']:.3f} | - | - | "
        f"{act['ece']:.3f} |",
        f"| severity | {sev['accuracy']:.3f} | {sev['macro_f1']:.3f} | {sev['within_one']:.3f} | "
        f"{sev['mae']:.3f} | {sev['ece']:.3f} |",
        f"| severity baseline (most frequent severity of the predicted action) | "
        f"{base['accuracy']:.3f} | {base['macro_f1']:.3f} | {base['within_one']:.3f} | "
        f"{base['mae']:.3f} | - |",
        "",
    ]
    if "actors" in test:
        a, b = test["actors"], test["actors_baseline"]
        lines += [
            f"Actors (on the {a['n']} test articles with an inter-state action):",
            "",
            "| method | source | target | dyad |",
            "|---|---|---|---|",
            f"| learnt chooser | {a['source_accuracy']:.3f} | {a['target_accuracy']:.3f} | "
            f"{a['dyad_accuracy']:.3f} |",
            f"| baseline: first mentioned = source, second = target | "
            f"{b['source_accuracy']:.3f} | {b['target_accuracy']:.3f} | "
            f"{b['dyad_accuracy']:.3f} |",
            "",
        ]
    lines += ["Per action type:", "", "| action type | precision | recall | F1 | support |",
              "|---|---|---|---|---|"]
    for label in ACTION_TYPES:
        row = act["per_class"][label]
        lines.append(f"| {label} | {row['precision']:.3f} | {row['recall']:.3f} | "
                     f"{row['f1']:.3f} | {row['support']} |")
    lines += ["", "Confusion matrices: `confusion_action.png`, `confusion_severity.png`.", ""]
    lines += ["## Real-text benchmarks", ""]
    if bench is None:
        lines += ["Not run: `../shared/benchmarks/` was not present when this model was "
                  "trained.", ""]
    else:
        cameo = bench["cameo_manual_examples"]
        lines += [
            "| benchmark | measure | value |",
            "|---|---|---|",
            f"| CAMEO codebook examples ({cameo['mapped_rows']} mapped rows) | action accuracy "
            f"(161 group counted together) | {_fmt(cameo['action_accuracy'])} |",
            f"| CAMEO codebook examples ({cameo['none_rows']} rows mapping to `none`) | "
            f"predicted `none` | {_fmt(cameo['none_recall'])} |",
            f"| CAMEO codebook examples | Pearson r, expected Goldstein vs code's Goldstein | "
            f"{_fmt(cameo['goldstein_pearson'])} |",
        ]
        for name in ("conflibert_cameo_class", "un_quadclass"):
            if name in bench:
                b = bench[name]
                lines += [
                    f"| {name} ({b['directed_rows']} cooperation/conflict rows) | direction "
                    f"accuracy (cooperative vs conflictual probability mass) | "
                    f"{_fmt(b['direction_accuracy'])} |",
                    f"| {name} | direction from the predicted action's quad class (`none` "
                    f"counts as wrong) | {_fmt(b['strict_direction_accuracy'])} |",
                    f"| {name} ({b['neutral_rows']} neutral rows) | predicted `none` | "
                    f"{_fmt(b['neutral_as_none'])} |",
                ]
        lines.append("")
    lines += [
        "## Intended use",
        "",
        "Triage and tagging of English-language diplomatic and international-politics news "
        "for analysts, journalists and event-data researchers: which action, how severe, "
        "between whom, with the sentence that supports it. Probabilities are meant to be "
        "thresholded; `none` is the abstention class.",
        "",
        "## Limitations",
        "",
        "- Trained only on synthetic articles written by the project; real news differs in "
        "style, length and noise, and the benchmark gap above shows by how much.",
        "- One primary action per article; articles reporting several actions get one label.",
        "- English only. Actor detection relies on a gazetteer of states and major "
        "organisations; non-state actors (rebel groups, companies) are not coded.",
        "- Severity is a judgement; the model learns the project's guidelines "
        "(`data/GUIDELINES.md`), not a universal scale.",
        "- The model file is a joblib pickle: load only models you trained or trust.",
        "",
    ]
    return "\n".join(lines)


def _features_paragraph(meta: dict[str, Any]) -> list[str]:
    """What the recipe says about its features, and where the word vectors come from."""
    recipe = meta.get("recipe") or {}
    lines = [f"Recipe: {recipe['description']}", ""] if recipe.get("description") else []
    if meta.get("word_vectors_sha256"):  # recorded by save_model when the model reads vectors
        vectors = load_word_vectors()
        lines += [f"Word vectors ({len(vectors.words)} words x {vectors.dims}, packaged with "
                  f"diplostance): {vectors.source}. No encoder runs at training or prediction "
                  "time.", ""]
    return lines


def write_report(out: Path, metrics: dict[str, Any], meta: dict[str, Any],
                 bench: dict[str, Any] | None) -> None:
    """Write ``MODEL_CARD.md`` and the two confusion-matrix PNGs into ``out``."""
    test = metrics["test"]
    plot_confusion(test["action"]["confusion"], ACTION_TYPES, out / "confusion_action.png",
                   "Action type (test split)")
    plot_confusion(test["severity"]["confusion"], SEVERITIES, out / "confusion_severity.png",
                   "Severity (test split)")
    (out / "MODEL_CARD.md").write_text(model_card(metrics, meta, bench), encoding="utf-8")
