"""diplostance: tag diplomatic news with action type, severity and actors.

>>> from diplostance import ACTION_TYPES, SEVERITIES
>>> ACTION_TYPES[13], SEVERITIES[3]
('recall_ambassador', 'high')
"""

from __future__ import annotations

from .corpus import CorpusError, load_corpus
from .evidence import Evidence
from .persistence import ModelLoadError, load_model, save_model
from .prediction import Prediction, StanceModel
from .readers import Article, ReadError
from .scoring import Scored, score_files
from .taxonomy import ACTION_TYPES, SEVERITIES, TAXONOMY_VERSION, action_info

__version__ = "0.1.0"

__all__ = [
    "ACTION_TYPES",
    "SEVERITIES",
    "TAXONOMY_VERSION",
    "Article",
    "CorpusError",
    "Evidence",
    "ModelLoadError",
    "Prediction",
    "ReadError",
    "Scored",
    "StanceModel",
    "__version__",
    "action_info",
    "load_corpus",
    "load_model",
    "save_model",
    "score_files",
]
