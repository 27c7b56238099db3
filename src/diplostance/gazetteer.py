"""Find mentions of states and intergovernmental organisations in text.

The table lives in ``gazetteer.tsv`` beside this module (demonyms, capitals used as
metonyms, aliases, region); pycountry adds each state's ISO names. It is read once.

Examples
--------
>>> [(m.code, m.text) for m in find_mentions("Peruvian Prime Minister spoke in Lima about Mexico.")]
[('PER', 'Peruvian'), ('PER', 'Lima'), ('MEX', 'Mexico')]
>>> mask_actors("The Kremlin expelled two Estonian diplomats.")
'The CTRY expelled two CTRY diplomats.'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import pycountry

from .taxonomy import IGO_CODES

MASK = "CTRY"
"""Placeholder written over every actor mention when masking."""

# Capitalised spans, allowing the lower-case joints of names such as "Bosnia and
# Herzegovina", "Republic of the Congo", "Dar es Salaam" or "Port-au-Prince".
_SPAN = re.compile(
    r"(?:[A-Z][\w'’.\-]*|U\.S\.|U\.K\.|U\.N\.|E\.U\.)"
    r"(?:[ \t]+(?:(?:of|and|the|es|de|la|al)[ \t]+)*(?:[A-Z]|d['’][A-Z])[\w'’.\-]*)*"
)
_SPLIT = re.compile(r"[ \t]+")
_JOINS = "_'’.-"
"""Characters that, with letters and digits, continue a word: no mention starts after one."""
_WORD_END = re.compile(r"[^ \t]+")


def _strip_trailing(surface: str) -> str:
    """Drop a final full stop and a possessive: "Peru's." -> "Peru", "U.S." -> "U.S"."""
    if surface.endswith("."):
        surface = surface[:-1]
    if surface.endswith(("'s", "’s")):
        return surface[:-2]
    if surface.endswith(("'", "’")):
        return surface[:-1]
    return surface


class Mention(NamedTuple):
    """One actor mention: its code, the matched text and character offsets.

    A named tuple rather than a frozen dataclass: an article has about 17 mentions, a tuple
    is built about three times faster and, holding only strings and integers, is left out
    of the garbage collector's scans.
    """

    code: str
    text: str
    start: int
    end: int
    kind: str  # "name", "demonym" or "capital"


@dataclass(frozen=True)
class Gazetteer:
    """Lookup tables built from ``gazetteer.tsv`` and pycountry."""

    entries: dict[str, tuple[str, str]]  # surface form -> (code, kind)
    regions: dict[str, str]  # code -> region
    names: dict[str, str]  # code -> display name
    max_tokens: int
    starts: re.Pattern[str]  # finds the first word of any surface form (a compiled trie)

    def region(self, code: str | None) -> str | None:
        """Region of an actor code (``"Organisation"`` for IGOs), or None when unknown."""
        return self.regions.get(code) if code else None

    def name(self, code: str) -> str:
        """A readable name for an actor code."""
        return IGO_CODES.get(code) or self.names.get(code, code)


def _add(entries: dict[str, tuple[str, str]], surface: str, code: str, kind: str) -> None:
    surface = surface.strip()
    if surface.lower().startswith("the "):
        surface = surface[4:]
    if surface and surface not in entries:
        entries[surface] = (code, kind)


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Read the gazetteer once and return it (cached)."""
    entries: dict[str, tuple[str, str]] = {}
    regions: dict[str, str] = {}
    names: dict[str, str] = {}
    rows = []
    text = resources.files(__package__).joinpath("gazetteer.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        code, region, aliases, demonyms, capitals = (line.split("\t") + [""] * 5)[:5]
        regions[code] = region
        rows.append((code, aliases, demonyms, capitals))
    # Names first (they win over demonyms that share a spelling), then demonyms, capitals.
    for code, aliases, _, _ in rows:
        country = pycountry.countries.get(alpha_3=code)
        for attr in ("common_name", "name", "official_name"):
            value = getattr(country, attr, None) if country else None
            if value and "," not in value:
                _add(entries, value, code, "name")
                names.setdefault(code, value)
        for alias in filter(None, aliases.split("|")):
            _add(entries, alias, code, "name")
            names.setdefault(code, alias)
    for code, _, demonyms, _ in rows:
        for demonym in filter(None, demonyms.split("|")):
            _add(entries, demonym, code, "demonym")
    for code, _, _, capitals in rows:
        for capital in filter(None, capitals.split("|")):
            _add(entries, capital, code, "capital")
    max_tokens = max(len(_SPLIT.split(key)) for key in entries)
    firsts = {_strip_trailing(key.split()[0]) for key in entries}
    odd = sorted(w for w in firsts if not all(c.isalnum() or c in _JOINS for c in w))
    if odd:  # find_mentions relies on it when it skips matches that start inside a word
        raise ValueError(f"gazetteer first words with unexpected characters: {odd}")
    # No look-behind in front: a pattern that starts with a literal lets the engine skip
    # ahead to candidate first letters (three times faster); find_mentions checks the
    # character before each match instead (see _JOINS).
    starts = re.compile(r"(?:" + trie_pattern(sorted(firsts)) + r")(?![\w\-])")
    return Gazetteer(entries=entries, regions=regions, names=names, max_tokens=max_tokens,
                     starts=starts)


def trie_pattern(words: list[str]) -> str:
    """A regular expression matching any of ``words``, factored as a trie so that the
    engine rejects most positions at the first character."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def render(node: dict) -> str:
        branches = [re.escape(c) + render(child) for c, child in sorted(node.items()) if c]
        optional = "" in node
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if optional else body

    return render(trie)


@lru_cache(maxsize=4096)
def find_mentions(text: str) -> tuple[Mention, ...]:
    """All actor mentions in ``text``, in order of appearance (longest match wins).

    Cached: masking and actor choice read the same article's mentions once.
    """
    gaz = load_gazetteer()
    entries = gaz.entries
    mentions: list[Mention] = []
    consumed = 0
    for start_match in gaz.starts.finditer(text):
        base = start_match.start()
        if base < consumed:
            continue
        if base and (text[base - 1].isalnum() or text[base - 1] in _JOINS):
            # Inside a word (the characters of a first word are all word characters or
            # joins, so no valid start was skipped by this match either).
            continue
        span = _SPAN.match(text, base)
        if span is None:
            continue
        group = span.group()
        if " " not in group and "\t" not in group:  # one word: the common case
            hit = entries.get(group)
            end = base + len(group)
            if hit is None:
                group = _strip_trailing(group)
                hit = entries.get(group)
                end = base + len(group)
            if hit is not None:
                mentions.append(Mention(hit[0], group, base, end, hit[1]))
                consumed = end
            continue
        ends = [m.end() for m in _WORD_END.finditer(group)][:gaz.max_tokens]
        for stop in reversed(ends):
            end = base + stop
            surface = text[base:end]
            hit = entries.get(surface)
            if hit is None:
                stripped = _strip_trailing(surface)
                hit = entries.get(stripped)
                if hit is None:
                    continue
                end, surface = base + len(stripped), stripped
            mentions.append(Mention(hit[0], surface, base, end, hit[1]))
            consumed = end
            break
    return tuple(mentions)


def mask_actors(text: str, mentions: tuple[Mention, ...] | None = None) -> str:
    """Replace every actor mention with :data:`MASK`, so a model cannot learn
    "country X => action Y" from our corpus."""
    if mentions is None:
        mentions = find_mentions(text)
    if not mentions:
        return text
    parts: list[str] = []
    last = 0
    for m in mentions:
        parts.append(text[last:m.start])
        parts.append(MASK)
        last = m.end
    parts.append(text[last:])
    return "".join(parts)
