"""The taxonomy module is the one transcription of the label contract."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from diplostance.taxonomy import (
    ACTION_TYPES,
    CAMEO_161_GROUP,
    IGO_CODES,
    SEVERITIES,
    action_info,
    allowed_severities,
    cameo_to_actions,
    severity_index,
)

ROOT = Path(__file__).resolve().parents[1]


def test_label_sets_have_taxonomy_size_and_order():
    """There are 20 action types and 5 ordered severity levels, `none` last / first."""
    assert len(ACTION_TYPES) == 20 and len(set(ACTION_TYPES)) == 20
    assert ACTION_TYPES[0] == "statement_support" and ACTION_TYPES[-1] == "none"
    assert SEVERITIES == ("none", "low", "moderate", "high", "severe")
    assert [severity_index(s) for s in SEVERITIES] == [0, 1, 2, 3, 4]


def test_cooperative_types_only_allow_none_severity():
    """Cooperative types and `none` allow only severity `none`; conflict types never do."""
    for action in ACTION_TYPES:
        info = action_info(action)
        if info.cooperative:
            assert allowed_severities(action) == ("none",)
        else:
            assert "none" not in allowed_severities(action)
            assert info.goldstein < 0


@pytest.mark.parametrize(("code", "expected"), [
    ("161", CAMEO_161_GROUP), ("1662", {"suspend_cooperation"}), ("166", {"expel_diplomats"}),
    ("0871", {"concession"}), ("057", {"agreement"}), ("190", {"military_escalation"}),
    ("143", {"none"}), ("114", {"protest_summon"}), ("999", set()),
])
def test_cameo_codes_map_to_actions(code, expected):
    """CAMEO codes map through the most specific listed code; unknown codes map to nothing."""
    assert cameo_to_actions(code) == expected


def test_unknown_labels_raise_naming_the_valid_ones():
    """Asking for an unknown label fails with the list of valid labels."""
    with pytest.raises(KeyError, match="recall_ambassador"):
        action_info("recall")
    with pytest.raises(KeyError, match="moderate"):
        severity_index("medium")


def test_guidelines_table_matches_the_taxonomy_module():
    """data/GUIDELINES.md lists exactly the module's labels, quad classes and ranges."""
    text = (ROOT / "data" / "GUIDELINES.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(\w+)` \|[^|]*\|[^|]*\|\s*([^|]+?)\s*\|\s*([-+\d.]+)", text, re.M)
    assert [r[0] for r in rows] == list(ACTION_TYPES)
    for name, quad, goldstein in rows:
        assert action_info(name).quad_class == quad
        assert action_info(name).goldstein == float(goldstein)


def test_igo_codes_are_short_upper_case():
    """Organisation codes are short upper-case identifiers, as the taxonomy asks."""
    assert {"EU", "UN", "NATO", "AU", "ASEAN", "OAS"} <= set(IGO_CODES)
    assert all(re.fullmatch(r"[A-Z0-9]{2,8}", code) for code in IGO_CODES)
