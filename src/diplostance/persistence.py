"""Save a trained model to a folder and load it back safely.

The folder holds ``diplostance.joblib`` (the :class:`~diplostance.prediction.StanceModel`)
and ``metadata.json`` (versions, corpus hash, recipe, seed, and the sha256 of the model
file). Loading checks the sha256 and the scikit-learn version *before* unpickling, so a
tampered, truncated or incompatible file is refused with a clear message.

joblib files run code when loaded: load only models you trained or trust.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import joblib
import sklearn

from .features import WordVectorMean
from .prediction import StanceModel
from .taxonomy import TAXONOMY_VERSION
from .word_vectors import load_word_vectors

MODEL_FILE = "diplostance.joblib"
METADATA_FILE = "metadata.json"
FORMAT_VERSION = 1


class ModelLoadError(RuntimeError):
    """A model folder cannot be loaded (missing, tampered, or from another version)."""


def file_sha256(path: str | Path) -> str:
    """sha256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def atomic_write_text(path: str | Path, text: str) -> None:
    """Write a text file so that readers see the old or the new content, never half."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def save_model(model: StanceModel, directory: str | Path,
               metadata: dict[str, Any] | None = None) -> dict[str, Any]:
    """Write ``model`` and its metadata into ``directory``; returns the metadata written."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / MODEL_FILE
    tmp = directory / f".{MODEL_FILE}.tmp"
    payload = {"format": FORMAT_VERSION, "taxonomy_version": TAXONOMY_VERSION,
               "sklearn_version": sklearn.__version__, "model": model}
    joblib.dump(payload, tmp, compress=3)
    os.replace(tmp, path)
    meta = {**model.metadata, **(metadata or {})}
    meta.update({"format": FORMAT_VERSION, "taxonomy_version": TAXONOMY_VERSION,
                 "model_file": MODEL_FILE, "model_sha256": file_sha256(path),
                 "model_bytes": path.stat().st_size})
    meta.setdefault("versions", {})["scikit-learn"] = sklearn.__version__
    vectors = _word_vectors_sha256(model)
    if vectors:
        meta["word_vectors_sha256"] = vectors
    atomic_write_text(directory / METADATA_FILE, json.dumps(meta, indent=2, sort_keys=True))
    model.metadata = meta
    return meta


def _word_vectors_sha256(model: StanceModel) -> str | None:
    """sha256 of the word vectors the model was trained with; None if it reads none."""
    columns = model.classifier.vectorizer_.steps[-1][1].transformers_
    return next((t.vectors_sha256_ for _, t, _ in columns if isinstance(t, WordVectorMean)),
                None)


def read_metadata(directory: str | Path) -> dict[str, Any]:
    """The ``metadata.json`` of a model folder."""
    path = Path(directory) / METADATA_FILE
    if not path.exists():
        raise ModelLoadError(f"{path} not found: {directory} is not a trained model folder "
                             "(run make train)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ModelLoadError(f"{path} is not valid JSON ({exc})") from None


def load_model(path: str | Path = "model") -> StanceModel:
    """Load a trained model folder (or its ``diplostance.joblib``), verifying it first.

    Raises :class:`ModelLoadError` if the folder has no model, the file's sha256 differs
    from ``metadata.json`` (tampered or truncated), or it was trained with another
    scikit-learn or taxonomy version, or with other word vectors than the installed ones.
    """
    path = Path(path)
    directory = path.parent if path.is_file() else path
    meta = read_metadata(directory)
    model_path = directory / meta.get("model_file", MODEL_FILE)
    if not model_path.exists():
        raise ModelLoadError(f"{model_path} not found (run make train)")
    trained_with = meta.get("versions", {}).get("scikit-learn")
    if trained_with != sklearn.__version__:
        raise ModelLoadError(f"{model_path}: trained with scikit-learn {trained_with}, this is "
                             f"{sklearn.__version__}: run make train")
    if meta.get("taxonomy_version") != TAXONOMY_VERSION:
        raise ModelLoadError(f"{model_path}: built for taxonomy {meta.get('taxonomy_version')}, "
                             f"this is {TAXONOMY_VERSION}: run make train")
    vectors = meta.get("word_vectors_sha256")
    if vectors and vectors != load_word_vectors().sha256:
        raise ModelLoadError(f"{model_path}: trained with other word vectors (sha256 "
                             f"{vectors[:16]}...) than this diplostance's word_vectors.npz "
                             f"({load_word_vectors().sha256[:16]}...): run make train")
    actual = file_sha256(model_path)
    if actual != meta.get("model_sha256"):
        raise ModelLoadError(f"{model_path}: sha256 {actual[:16]}... does not match "
                             f"metadata.json ({str(meta.get('model_sha256'))[:16]}...): the file "
                             "is tampered or truncated; refusing to load it")
    try:
        payload = joblib.load(model_path)
    except Exception as exc:  # a matching sha256 makes this unlikely; report it plainly
        raise ModelLoadError(f"{model_path}: cannot be loaded ({type(exc).__name__}: {exc})")\
            from None
    if not isinstance(payload, dict) or not isinstance(payload.get("model"), StanceModel):
        raise ModelLoadError(f"{model_path} does not hold a diplostance model")
    model = payload["model"]
    model.metadata = meta
    return model
