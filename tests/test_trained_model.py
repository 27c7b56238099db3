"""The full model that make train builds from the real corpus."""

from __future__ import annotations

import json

import pytest

from diplostance import ModelLoadError, load_model
from diplostance.word_vectors import load_word_vectors

from .conftest import MODEL_DIR, copy_model


def test_seed_article_is_an_indefinite_recall_from_peru_to_mexico(real_model, peru_article):
    """The real Peru story comes out recall_ambassador / high, PER -> MEX."""
    p = real_model.predict(peru_article)
    assert (p.action_type, p.severity) == ("recall_ambassador", "high")
    assert (p.source, p.target) == ("PER", "MEX")


def test_written_model_folder_is_complete(real_model):
    """make train wrote the model, its metadata, metrics, card and both plots."""
    for name in ("diplostance.joblib", "metadata.json", "metrics.json", "MODEL_CARD.md",
                 "confusion_action.png", "confusion_severity.png"):
        assert (MODEL_DIR / name).exists(), name
    meta = json.loads((MODEL_DIR / "metadata.json").read_text())
    assert set(meta["versions"]) >= {"python", "scikit-learn", "numpy", "datasets"}
    assert meta["corpus"]["sha256"] and meta["seed"] == meta["recipe"]["seed"]
    card = (MODEL_DIR / "MODEL_CARD.md").read_text()
    assert card.startswith("---\nlibrary_name: sklearn\npipeline_tag: text-classification")
    assert "synthetic" in card


def test_real_model_meets_the_test_split_targets():
    """Test split: action macro-F1 >= 0.90 and severity within-one >= 0.95, severity beats
    the majority-per-action baseline."""
    if not (MODEL_DIR / "metrics.json").exists():
        pytest.skip("no trained model in model/")
    test = json.loads((MODEL_DIR / "metrics.json").read_text())["test"]
    assert test["action"]["macro_f1"] >= 0.90
    assert test["severity"]["within_one"] >= 0.95
    assert test["severity"]["accuracy"] > test["severity_baseline"]["accuracy"] + 0.05
    assert test["actors"]["dyad_accuracy"] >= 0.80


def test_real_model_round_trips_and_refuses_tampering(real_model, tmp_path):
    """A copy of the real model loads and predicts the same; one flipped byte is refused."""
    copy = copy_model(MODEL_DIR, tmp_path)
    text = "Lithuania expelled four Russian diplomats and closed a consulate."
    assert load_model(copy).predict(text) == real_model.predict(text)
    data = bytearray((copy / "diplostance.joblib").read_bytes())
    data[len(data) // 2] ^= 0xFF
    (copy / "diplostance.joblib").write_bytes(bytes(data))
    with pytest.raises(ModelLoadError, match="tampered or truncated"):
        load_model(copy)


def test_real_model_refuses_other_word_vectors(real_model, tmp_path):
    """A model trained with another vectors file is refused before unpickling."""
    meta = json.loads((MODEL_DIR / "metadata.json").read_text())
    assert meta["word_vectors_sha256"] == load_word_vectors().sha256
    copy = copy_model(MODEL_DIR, tmp_path,
                      lambda meta: meta.update({"word_vectors_sha256": "0" * 64}))
    with pytest.raises(ModelLoadError, match="other word vectors.*run make train"):
        load_model(copy)


def test_real_model_abstains_on_hard_negatives(real_model):
    """Diplomatic words in other senses are `none`."""
    texts = ["The carmaker announced a recall of 30,000 vehicles over faulty airbags.",
             "Voters in the county will decide on a recall election for the mayor next month.",
             "The pop star named a new brand ambassador for her perfume line."]
    assert [p.action_type for p in real_model.predict(texts)] == ["none"] * 3


def test_evidence_terms_are_words_not_vector_dimensions(real_model):
    """The explanation lists n-grams; word-vector dimensions, which name no word, are left out."""
    from diplostance.evidence import explain

    text = "Japan on Monday reduced economic aid to Cambodia, officials said."
    terms = explain(real_model.classifier, text, real_model.predict(text).action_type).terms
    assert terms and all("vector" not in name for name, _ in terms)
    assert all(name.split(":", 1)[0] in {"head_words", "body_words", "head_chars"}
               for name, _ in terms)
