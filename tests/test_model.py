"""The two-headed estimator, the prediction objects, determinism and persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from diplostance import ModelLoadError, Prediction, load_model, save_model
from diplostance.corpus import compose_article
from diplostance.model import SEVERITY_MASK, StanceClassifier
from diplostance.taxonomy import ACTION_TYPES, SEVERITIES, action_info
from diplostance.training import Recipe, train

from .conftest import FIXTURE_RECIPE, copy_model, fixture_records


def _xy():
    records = fixture_records()
    X = [compose_article(r["title"], r["text"]) for r in records]
    y = [[r["action_type"], r["severity"]] for r in records]
    return X, y


def test_estimator_contract_basics():
    """The classifier clones, exposes params, refuses use before fit, and fit returns self."""
    clf = StanceClassifier(features={"min_df": 1})
    assert clone(clf).get_params()["features"] == {"min_df": 1}
    with pytest.raises(NotFittedError):
        clf.predict(["text"])
    X, y = _xy()
    assert clf.fit(X, y) is clf
    assert [list(c) for c in clf.classes_] == [list(ACTION_TYPES), list(SEVERITIES)]
    with pytest.raises(ValueError, match="two columns"):
        StanceClassifier().fit(X, [a for a, _ in y])


def test_probabilities_are_taxonomy_ordered_and_severity_respects_ranges():
    """Probabilities sum to one, in taxonomy order; severity mass stays in allowed ranges."""
    X, y = _xy()
    clf = StanceClassifier(features={"min_df": 1}).fit(X, y)
    p_action, p_sev = clf.predict_proba(["Peru signed a treaty with Chile.",
                                         "Ghana expelled a Nigerian diplomat."])
    assert p_action.shape == (2, 20) and p_sev.shape == (2, 5)
    np.testing.assert_allclose(p_action.sum(1), 1, atol=1e-6)
    np.testing.assert_allclose(p_sev.sum(1), 1, atol=1e-6)
    # Cooperative types allow only `none`, so P(none) is at least their total mass, and
    # `low` can only come from the types whose range includes it.
    only_none = SEVERITY_MASK[:, 1:].sum(1) == 0
    allows_low = SEVERITY_MASK[:, 1] == 1
    assert np.all(p_sev[:, 0] >= p_action[:, only_none].sum(1) - 1e-9)
    assert np.all(p_sev[:, 1] <= p_action[:, allows_low].sum(1) + 1e-9)


def test_severity_uses_the_text_within_an_action(tiny_model):
    """Within one action type, the words move severity (consultations vs indefinitely)."""
    moderate = tiny_model.predict("Bolivia called its ambassador in Peru home for consultations.")
    high = tiny_model.predict("Bolivia recalled its ambassador from Peru indefinitely.")
    assert moderate.action_type == high.action_type == "recall_ambassador"
    assert high.escalation > moderate.escalation


def test_prediction_carries_derived_fields(tiny_model):
    """A prediction has top-3 actions, taxonomy fields and an escalation score in 0-4."""
    p = tiny_model.predict("Kenya expelled ten Ugandan diplomats and closed the consulate.")
    assert isinstance(p, Prediction)
    assert p.action_type == p.top_actions[0][0] and len(p.top_actions) == 3
    assert p.action_probability == p.top_actions[0][1]
    info = action_info(p.action_type)
    assert (p.quad_class, p.goldstein, p.cameo) == (info.quad_class, info.goldstein,
                                                    info.cameo_reference)
    assert 0 <= p.escalation <= 4
    assert json.loads(json.dumps(p.to_dict()))["action_type"] == p.action_type


def test_predict_accepts_string_list_and_iterator(tiny_model):
    """One string gives one prediction; a list or a generator gives a list."""
    texts = ["Japan and Peru signed an accord.", "Floods hit the capital."]
    assert isinstance(tiny_model.predict(texts[0]), Prediction)
    from_list = tiny_model.predict(texts)
    from_gen = tiny_model.predict(t for t in texts)
    assert from_list == from_gen and len(from_list) == 2


def test_training_is_deterministic(fixture_corpus_file, tmp_path):
    """Same corpus + recipe + seed gives identical predictions and identical metrics."""
    recipe = Recipe.from_dict(FIXTURE_RECIPE)
    probe = ["Peru recalled its envoy from Chile.", "The EU froze assets of two officials.",
             "Rain flooded the city."]
    runs = []
    for name in ("a", "b"):
        model, metrics = train(recipe, data=fixture_corpus_file, out=tmp_path / name,
                               n_jobs=1, log=lambda *_: None, benchmarks=tmp_path / "none")
        runs.append((model.classifier.predict_proba(probe), metrics["test"]["action"]))
    np.testing.assert_array_equal(runs[0][0][0], runs[1][0][0])
    np.testing.assert_array_equal(runs[0][0][1], runs[1][0][1])
    assert runs[0][1] == runs[1][1]
    for name in ("metadata.json", "metrics.json", "MODEL_CARD.md", "confusion_action.png",
                 "confusion_severity.png", "diplostance.joblib"):
        assert (tmp_path / "a" / name).exists(), name


def test_save_and_load_round_trip(tiny_model, tiny_model_dir):
    """A saved model loads back and predicts exactly the same."""
    loaded = load_model(tiny_model_dir)
    text = "Norway expelled two Russian diplomats."
    assert loaded.predict(text) == tiny_model.predict(text)
    assert loaded.version.startswith("diplostance-")


def test_tampered_or_truncated_model_is_refused(tiny_model_dir, tmp_path):
    """A model file whose sha256 differs from metadata.json is refused before unpickling."""
    copy = copy_model(tiny_model_dir, tmp_path)
    data = (copy / "diplostance.joblib").read_bytes()
    (copy / "diplostance.joblib").write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelLoadError, match="tampered or truncated"):
        load_model(copy)


def test_version_mismatch_is_refused_with_advice(tiny_model_dir, tmp_path):
    """A model trained with another scikit-learn version says so and says what to do."""
    copy = copy_model(tiny_model_dir, tmp_path,
                      lambda meta: meta["versions"].update({"scikit-learn": "0.99.0"}))
    with pytest.raises(ModelLoadError, match=r"trained with scikit-learn 0\.99\.0, this is .*: "
                                             r"run make train"):
        load_model(copy)


def test_missing_model_folder_is_a_clear_error(tmp_path):
    """Loading a folder with no model tells the user to train one."""
    with pytest.raises(ModelLoadError, match="run make train"):
        load_model(tmp_path)


def test_save_model_records_sha_and_versions(tiny_model, tmp_path):
    """metadata.json records the model file's sha256 and the scikit-learn version."""
    meta = save_model(tiny_model, tmp_path / "m")
    from diplostance.persistence import file_sha256

    assert meta["model_sha256"] == file_sha256(tmp_path / "m" / "diplostance.joblib")
    assert "scikit-learn" in meta["versions"]


def test_fast_prediction_path_matches_scikit_learn(tiny_model):
    """The compiled linear path gives the probabilities scikit-learn's own calls give."""
    clf = tiny_model.classifier
    texts = ["Peru recalled its ambassador from Chile.", "Floods hit the capital.", ""]
    Z = clf.transform(texts)
    np.testing.assert_allclose(Z.toarray(), clf.vectorizer_.transform(texts).toarray(),
                               rtol=1e-6)
    assert all(form is not None for form in clf.head_forms_)
    fast_action, _ = clf.proba_from_features(Z)
    slow_action = clf.action_head_.predict_proba(Z)
    order = [list(clf.action_head_.classes_).index(a) for a in ACTION_TYPES
             if a in clf.action_head_.classes_]
    present = [ACTION_TYPES.index(a) for a in ACTION_TYPES if a in clf.action_head_.classes_]
    np.testing.assert_allclose(fast_action[:, present], slow_action[:, order], rtol=1e-5,
                               atol=1e-7)
