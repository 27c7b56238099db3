"""Shared fixtures: a tiny in-memory corpus, a model trained on it, and the real model."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from diplostance.corpus import compose_article
from diplostance.persistence import load_model, save_model
from diplostance.prediction import StanceModel
from diplostance.training import Recipe, fit_model

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MODEL_DIR = ROOT / "model"

# (title, text, action_type, severity, source, target): short articles written for the tests.
FIXTURE_ROWS = [
    ("Peru recalls envoy", "Peru recalled its ambassador from Mexico indefinitely on Monday.",
     "recall_ambassador", "high", "PER", "MEX"),
    ("Chile recalls ambassador", "Chile withdrew its ambassador to Bolivia for an indefinite "
     "period after the dispute.", "recall_ambassador", "high", "CHL", "BOL"),
    ("Ecuador calls envoy home", "Ecuador called its ambassador in Colombia home for "
     "consultations, saying ties remain cordial.", "recall_ambassador", "moderate", "ECU", "COL"),
    ("Uruguay summons envoy back", "Uruguay recalled its envoy from Paraguay for consultations "
     "over the border remarks.", "recall_ambassador", "moderate", "URY", "PRY"),
    ("Kenya expels diplomats", "Kenya expelled twelve Somali diplomats and closed the consulate "
     "in Mombasa.", "expel_diplomats", "high", "KEN", "SOM"),
    ("Norway orders attache out", "Norway declared a Russian attache persona non grata in a "
     "tit-for-tat move.", "expel_diplomats", "moderate", "NOR", "RUS"),
    ("Latvia expels envoy", "Latvia ordered one Belarusian diplomat to leave within 48 hours.",
     "expel_diplomats", "moderate", "LVA", "BLR"),
    ("Mali expels ambassador staff", "Mali expelled the entire Ivorian embassy staff and shut "
     "its consulates.", "expel_diplomats", "high", "MLI", "CIV"),
    ("Japan and Vietnam sign pact", "Japan and Vietnam signed a maritime cooperation agreement "
     "in Hanoi.", "agreement", "none", "JPN", "VNM"),
    ("Ghana, Togo seal trade deal", "Ghana and Togo concluded a cross-border trade accord on "
     "Friday.", "agreement", "none", "GHA", "TGO"),
    ("Nepal, India ink treaty", "Nepal and India signed a treaty on hydropower exports.",
     "agreement", "none", "NPL", "IND"),
    ("Fiji and Samoa sign memorandum", "Fiji and Samoa signed a memorandum on fisheries "
     "patrols.", "agreement", "none", "FJI", "WSM"),
    ("EU sanctions officials", "The European Union froze the assets of five Iranian officials "
     "accused of abuses.", "sanctions", "moderate", "EU", "IRN"),
    ("Canada bans oil imports", "Canada imposed sanctions on the Venezuelan oil sector.",
     "sanctions", "high", "CAN", "VEN"),
    ("Full embargo on Pyongyang", "South Korea announced a comprehensive trade embargo on North "
     "Korea.", "sanctions", "severe", "KOR", "PRK"),
    ("Australia sanctions generals", "Australia imposed travel bans on three Myanmar generals.",
     "sanctions", "moderate", "AUS", "MMR"),
    ("Heavy rain floods capital", "Heavy rain flooded the capital and the mayor opened shelters.",
     "none", "none", None, None),
    ("Club fined by league", "The football league sanctioned the club over unpaid wages.",
     "none", "none", None, None),
    ("Stocks close higher", "Shares closed higher as bank earnings beat forecasts.",
     "none", "none", None, None),
    ("Car maker recalls vehicles", "The car maker recalled forty thousand vehicles over faulty "
     "brakes.", "none", "none", None, None),
    ("Brazil condemns strike", "Brazil condemned in the strongest terms the attack and accused "
     "Argentina of aggression.", "criticize_accuse", "moderate", "BRA", "ARG"),
    ("Sweden voices concern", "Sweden expressed concern about the election in Hungary.",
     "criticize_accuse", "low", "SWE", "HUN"),
    ("India criticises remarks", "India criticised remarks made by Pakistan's minister.",
     "criticize_accuse", "low", "IND", "PAK"),
    ("Egypt accuses Ethiopia", "Egypt accused Ethiopia of endangering millions with the dam and "
     "condemned the move.", "criticize_accuse", "moderate", "EGY", "ETH"),
]


def fixture_records() -> list[dict]:
    """The fixture corpus as validated-style records (ids f000...)."""
    rows = []
    for i, (title, text, action, severity, source, target) in enumerate(FIXTURE_ROWS):
        rows.append({"id": f"f{i:03d}", "title": title, "text": text, "action_type": action,
                     "severity": severity, "source": source, "target": target,
                     "style": "brief", "date": None, "near_miss": False,
                     "background_action": None, "hard_negative": False})
    return rows


FIXTURE_RECIPE = {
    "name": "fixture", "seed": 7,
    "features": {"min_df": 1, "max_features": 5000},
    "action_head": {"kind": "logreg", "C": 10.0, "calibration": "temperature",
                    "calibration_folds": 2},
    "severity_head": {"kind": "logreg", "C": 10.0},
    "search": {"folds": 2, "grid": {"action_head": {"C": [1.0, 10.0]}}},
}


@pytest.fixture(scope="session")
def fixture_corpus_file(tmp_path_factory) -> Path:
    """The fixture corpus written as one JSONL file."""
    path = tmp_path_factory.mktemp("corpus") / "fixture.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in fixture_records()) + "\n")
    return path


@pytest.fixture(scope="session")
def tiny_model() -> StanceModel:
    """A model fitted on the whole fixture corpus (fast)."""
    records = fixture_records()
    texts = [compose_article(r["title"], r["text"]) for r in records]
    return fit_model(texts, records, Recipe.from_dict(FIXTURE_RECIPE))


@pytest.fixture(scope="session")
def tiny_model_dir(tiny_model, tmp_path_factory) -> Path:
    """The tiny model saved as a model folder."""
    directory = tmp_path_factory.mktemp("model")
    save_model(tiny_model, directory, {"corpus": {"path": "fixture", "sha256": "0", "n": 24}})
    return directory


@pytest.fixture(scope="session")
def real_model() -> StanceModel:
    """The model that make train built from the real corpus (make test builds it first)."""
    if not (MODEL_DIR / "metadata.json").exists():
        pytest.skip("no trained model in model/: run make train (make test does)")
    return load_model(MODEL_DIR)


@pytest.fixture(scope="session")
def peru_article() -> str:
    """The real seed article, read from ../shared when it exists."""
    path = SHARED / "examples" / "peru_recalls_ambassador.txt"
    if not path.exists():
        pytest.skip("../shared/examples is not present")
    return path.read_text(encoding="utf-8")


def copy_model(model_dir: Path, tmp_path: Path,
               edit_metadata: Callable[[dict], None] | None = None) -> Path:
    """A copy of a model folder, its metadata.json edited in place by ``edit_metadata``."""
    copy = tmp_path / "model"
    shutil.copytree(model_dir, copy)
    if edit_metadata:
        meta = json.loads((copy / "metadata.json").read_text())
        edit_metadata(meta)
        (copy / "metadata.json").write_text(json.dumps(meta))
    return copy
