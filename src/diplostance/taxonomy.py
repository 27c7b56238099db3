"""The label contract: action types, severity levels, CAMEO / Goldstein mapping, actor codes.

This module is the project's single transcription of the taxonomy (v1). The corpus,
the model, the scorer and every evaluation read their labels from here, in this order.

Examples
--------
>>> from diplostance.taxonomy import ACTION_TYPES, SEVERITIES, action_info
>>> len(ACTION_TYPES), len(SEVERITIES)
(20, 5)
>>> action_info("recall_ambassador").quad_class
'material conflict'
>>> action_info("sanctions").severity_range
('moderate', 'high', 'severe')
>>> sorted(cameo_to_actions("161"))
['expel_diplomats', 'recall_ambassador', 'sever_relations']
"""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

TAXONOMY_VERSION = "v1"

SEVERITIES: tuple[str, ...] = ("none", "low", "moderate", "high", "severe")
"""Ordered severity levels; the index is the ordinal value 0-4."""

QUAD_CLASSES: tuple[str, ...] = (
    "verbal cooperation",
    "material cooperation",
    "verbal conflict",
    "material conflict",
    "none",
)

IGO_CODES: dict[str, str] = {
    "EU": "European Union",
    "UN": "United Nations",
    "NATO": "North Atlantic Treaty Organization",
    "AU": "African Union",
    "ASEAN": "Association of Southeast Asian Nations",
    "OAS": "Organization of American States",
    "ECOWAS": "Economic Community of West African States",
    "GCC": "Gulf Cooperation Council",
    "SCO": "Shanghai Cooperation Organisation",
    "LAS": "League of Arab States",
    "OSCE": "Organization for Security and Co-operation in Europe",
    "SADC": "Southern African Development Community",
    "CARICOM": "Caribbean Community",
    "MERCOSUR": "Southern Common Market",
    "OIC": "Organisation of Islamic Cooperation",
    "IAEA": "International Atomic Energy Agency",
    "WTO": "World Trade Organization",
    "IMF": "International Monetary Fund",
    "WB": "World Bank",
    "BRICS": "BRICS",
    "G7": "Group of Seven",
    "G20": "Group of Twenty",
    "CELAC": "Community of Latin American and Caribbean States",
    "EAC": "East African Community",
    "IGAD": "Intergovernmental Authority on Development",
    "PIF": "Pacific Islands Forum",
    "CIS": "Commonwealth of Independent States",
    "CSTO": "Collective Security Treaty Organization",
    "CE": "Council of Europe",
    "ICC": "International Criminal Court",
    "WHO": "World Health Organization",
}
"""Short upper-case codes for intergovernmental organisations (actors that are not states)."""


@dataclass(frozen=True)
class ActionType:
    """One row of the taxonomy's action table."""

    name: str
    description: str
    cameo: tuple[str, ...]
    goldstein: float
    cameo_reference: str
    quad_class: str
    severity_range: tuple[str, ...]

    @property
    def cooperative(self) -> bool:
        """True for the cooperative types (and ``none``), whose severity is always ``none``."""
        return self.quad_class in ("verbal cooperation", "material cooperation", "none")


def _row(name, description, cameo, goldstein, ref, quad, severities) -> ActionType:
    return ActionType(name, description, tuple(cameo.split()), goldstein, ref, quad,
                      tuple(severities.split()))


_TABLE = (
    _row("statement_support",
         "praise, endorsement, solidarity, condolence, optimism, appeal for or promise of "
         "cooperation; words only, no concrete step",
         "013 018 019 020-023 030-035 051-053 055 056", 3.4, "051", "verbal cooperation", "none"),
    _row("meeting_visit",
         "talks, consultations, official or state visits, hosting, summits, phone calls "
         "between officials",
         "040-044", 1.9, "042", "verbal cooperation", "none"),
    _row("negotiation_mediation",
         "negotiating a dispute or deal, offering / accepting / conducting mediation, peace "
         "talks, appeals to negotiate",
         "026-028 036-039 045 046", 7.0, "046", "verbal cooperation", "none"),
    _row("agreement",
         "signing or concluding a treaty, accord, memorandum, trade deal, ceasefire or "
         "settlement between states",
         "057", 8.0, "057", "verbal cooperation", "none"),
    _row("relations_upgrade",
         "establishing, restoring or normalising diplomatic relations, recognising a state or "
         "government, reopening an embassy, returning an ambassador, upgrading ties",
         "050 054", 6.0, "054", "verbal cooperation", "none"),
    _row("aid_cooperation",
         "economic, military, humanitarian aid; loans; joint exercises with partners; "
         "intelligence sharing; other material cooperation",
         "060-064 070-074", 7.4, "071", "material cooperation", "none"),
    _row("grant_asylum",
         "granting asylum, refuge or safe passage to a person of another state (including "
         "diplomatic asylum in an embassy)",
         "075", 7.0, "075", "material cooperation", "none"),
    _row("concession",
         "easing or lifting sanctions, releasing detainees of another state, returning "
         "property, de-escalating, withdrawing troops, declaring a truce",
         "080-087", 7.0, "085", "material cooperation", "none"),
    _row("criticize_accuse",
         "criticism, condemnation, denunciation, accusations (interference, espionage, "
         "aggression, abuses), pessimistic or concerned comments about another state",
         "012 110-113 115 116", -2.0, "111", "verbal conflict", "low moderate"),
    _row("protest_summon",
         "formal diplomatic protest: summoning an ambassador or charge d'affaires, delivering "
         "a protest note or demarche, official complaint",
         "114", -2.0, "114", "verbal conflict", "low moderate high"),
    _row("demand",
         "demanding that another state act (release, withdraw, apologise, extradite, reform, "
         "pay)",
         "024 025 100-108", -5.0, "100", "verbal conflict", "low moderate"),
    _row("reject",
         "rejecting a proposal, demand, accusation, plan or agreement; veto; refusing "
         "extradition, to meet, or to yield; denying responsibility",
         "016 120-129", -4.0, "120", "verbal conflict", "low moderate"),
    _row("threaten",
         "threats of sanctions, of cutting ties or aid, of halting talks, of force; ultimatums",
         "130-139", -5.8, "131", "verbal conflict", "moderate high severe"),
    _row("recall_ambassador",
         "recalling or withdrawing one's own ambassador or envoy (for consultations or "
         "indefinitely), downgrading representation",
         "161", -4.0, "161", "material conflict", "moderate high"),
    _row("expel_diplomats",
         "expelling diplomats, declaring them persona non grata, ordering another state's "
         "embassy or consulate closed or cut",
         "161 166 174", -7.0, "166", "material conflict", "moderate high"),
    _row("sever_relations",
         "breaking off or suspending diplomatic relations altogether",
         "161", -4.0, "161", "material conflict", "high severe"),
    _row("sanctions",
         "imposing sanctions, embargoes, boycotts, asset freezes, travel bans, punitive trade "
         "restrictions",
         "163", -8.0, "163", "material conflict", "moderate high severe"),
    _row("suspend_cooperation",
         "halting negotiations or mediation, withdrawing from a treaty, cutting or suspending "
         "aid, flights, trade or other cooperation",
         "160 162 164 165 1661-1663", -7.0, "164", "material conflict", "moderate high"),
    _row("military_escalation",
         "show of force or military action by a state against another: mobilisation, alerts, "
         "exercises aimed at a rival, airspace or border incursions, blockades, strikes, "
         "clashes, occupation",
         "150-154 170 171 180-186 190-196 200-204", -10.0, "190", "material conflict",
         "high severe"),
    _row("none",
         "no inter-state diplomatic action: domestic politics, elections, economy, business, "
         "sports, crime, disasters, science, or violence with no state-to-state action",
         "010 011 014 015 017 090-094 140-145 172 173 175", 0.0, "", "none", "none"),
)

ACTION_TYPES: tuple[str, ...] = tuple(row.name for row in _TABLE)
"""The 20 action types in the taxonomy's fixed order (the class index order of the model)."""

_BY_NAME = MappingProxyType({row.name: row for row in _TABLE})

CAMEO_161_GROUP = frozenset({"recall_ambassador", "expel_diplomats", "sever_relations"})
"""Labels that CAMEO codes only jointly as 161: any member counts as a match."""


def action_info(name: str) -> ActionType:
    """Return the taxonomy row of an action type; ``KeyError`` names the valid labels."""
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown action type {name!r}; expected one of {list(ACTION_TYPES)}")\
            from None


def severity_index(name: str) -> int:
    """Ordinal value (0-4) of a severity level name."""
    try:
        return SEVERITIES.index(name)
    except ValueError:
        raise KeyError(f"unknown severity {name!r}; expected one of {list(SEVERITIES)}")\
            from None


def allowed_severities(action: str) -> tuple[str, ...]:
    """Severity levels that the taxonomy's range table allows for ``action``."""
    return action_info(action).severity_range


def _expand(spec: str) -> list[str]:
    if "-" not in spec:
        return [spec]
    lo, hi = spec.split("-")
    return [str(code).zfill(len(lo)) for code in range(int(lo), int(hi) + 1)]


def _build_cameo_index() -> dict[str, frozenset[str]]:
    index: dict[str, set[str]] = {}
    for row in _TABLE:
        for spec in row.cameo:
            for code in _expand(spec):
                index.setdefault(code, set()).add(row.name)
    return {code: frozenset(names) for code, names in index.items()}


_CAMEO_INDEX = _build_cameo_index()


def cameo_to_actions(code: str) -> frozenset[str]:
    """Map a CAMEO event code (2-4 digits) to the set of matching action types.

    The most specific listed code wins: ``1662`` maps through its own entry, ``0871``
    through ``087``. Codes the taxonomy does not cover give an empty set.
    """
    code = str(code).strip()
    for length in range(len(code), 2, -1):
        names = _CAMEO_INDEX.get(code[:length])
        if names:
            return names
    return frozenset()
