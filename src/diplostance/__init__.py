"""diplostance: tag diplomatic news with action type, severity and actors."""

from __future__ import annotations

from .taxonomy import ACTION_TYPES, SEVERITIES, TAXONOMY_VERSION, action_info

__version__ = "0.1.0"

__all__ = ["ACTION_TYPES", "SEVERITIES", "TAXONOMY_VERSION", "__version__", "action_info"]
