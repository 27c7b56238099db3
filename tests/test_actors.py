"""Actors: gazetteer coverage, learnt source / target direction, evidence."""

from __future__ import annotations

from collections import Counter
from importlib import resources

import pytest

from diplostance.actors import _PASSIVE, ActorModel, first_two_baseline
from diplostance.evidence import split_sentences
from diplostance.gazetteer import find_mentions, load_gazetteer, mask_actors


def _rows():
    text = resources.files("diplostance").joinpath("gazetteer.tsv").read_text(encoding="utf-8")
    for line in text.splitlines():
        if line.strip() and not line.startswith("#"):
            code, region, aliases, demonyms, capitals = (line.split("\t") + [""] * 5)[:5]
            yield code, region, aliases, demonyms.split("|"), capitals.split("|")


STATES = [row for row in _rows() if row[1] != "Organisation"]


def _codes(text: str) -> list[str]:
    return [m.code for m in find_mentions(text)]


def test_every_un_member_state_is_in_the_gazetteer():
    """All 193 UN member states (plus observers and Kosovo, Taiwan) have an entry."""
    import pycountry

    codes = {row[0] for row in STATES}
    assert len(codes) >= 193
    # Every sovereign pycountry entry missing from the table would be a territory.
    assert {"PSE", "VAT", "TWN", "XKX", "SSD", "TLS", "MNE"} <= codes
    for code in codes - {"XKX"}:
        assert pycountry.countries.get(alpha_3=code) is not None, code


@pytest.mark.parametrize("row", STATES, ids=[row[0] for row in STATES])
def test_state_resolves_from_name_demonym_and_capital(row):
    """Each state resolves from its common name, its demonym and its capital."""
    code, _, _, demonyms, capitals = row
    name = load_gazetteer().name(code)
    assert code in _codes(f"Officials in {name} said on Monday."), name
    shared = Counter(d for r in STATES for d in r[3] if d)
    unique = [d for d in demonyms if d and shared[d] == 1]
    if unique:
        assert code in _codes(f"The {unique[0]} minister spoke."), unique[0]
    for capital in filter(None, capitals[:1]):
        assert code in _codes(f"Talks were held in {capital} yesterday."), capital


def test_masking_replaces_every_mention():
    """Masking hides names, demonyms, capitals and organisations from the model."""
    masked = mask_actors("The Kremlin said Estonian and EU officials met in Nairobi.")
    assert masked == "The CTRY said CTRY and CTRY officials met in CTRY."


def test_direction_is_learnt_in_both_voices(real_model):
    """Active and passive voice give the same dyad: the actor that acts is the source."""
    active = real_model.predict("Peru recalled its ambassador to Mexico on Tuesday.")
    assert (active.source, active.target) == ("PER", "MEX")
    passive = real_model.predict("Mexico saw its ambassador expelled by Peru on Tuesday.")
    assert (passive.source, passive.target) == ("PER", "MEX")


def test_learnt_chooser_beats_first_two_baseline_on_word_order():
    """A chooser trained on varied sentences gets the dyad that first-mention order misses."""
    texts = ["Peru recalled its ambassador from Mexico.", "Bolivia expelled a Chilean diplomat.",
             "Mexico's ambassador was expelled by Peru.", "Chile's envoy was expelled by Bolivia.",
             "Ecuador recalled its ambassador from Colombia.",
             "Argentina's diplomat was expelled by Uruguay."]
    sources = ["PER", "BOL", "PER", "BOL", "ECU", "URY"]
    targets = ["MEX", "CHL", "MEX", "CHL", "COL", "ARG"]
    model = ActorModel(C=10.0).fit(texts, sources, targets)
    probe = "Brazil's envoy was expelled by Paraguay."
    assert model.predict_one(probe) == ("PRY", "BRA")
    assert first_two_baseline(probe) == ("BRA", "PRY")


def test_none_articles_have_no_actors(tiny_model):
    """An article predicted `none` has no dyad."""
    p = tiny_model.predict("Heavy rain flooded the capital and the mayor opened shelters.")
    assert p.action_type == "none" and (p.source, p.target) == (None, None)


def test_sentence_splitting_handles_quotes_and_paragraphs():
    """Sentences split at terminal punctuation (with closing quotes) and at line breaks."""
    text = 'He said "we leave." Then they left.\n\nA new paragraph begins here. U.N. staff'
    assert split_sentences(text) == ['He said "we leave."', "Then they left.",
                                     "A new paragraph begins here.", "U.N. staff"]


def test_evidence_points_at_the_action_sentence(real_model):
    """In a multi-paragraph article, the evidence is the sentence reporting the action."""
    text = ("Markets in the region were calm on Thursday and the weather was dry.\n\n"
            "Ghana expelled three Nigerian diplomats on Thursday and gave them 48 hours to "
            "leave the country.\n\nThe two countries have traded for decades and football "
            "fans follow each other's leagues closely.")
    p = real_model.predict(text, explain=True)
    assert p.action_type == "expel_diplomats"
    assert p.evidence.sentence.startswith("Ghana expelled three Nigerian diplomats")
    assert any("expel" in term for term, _ in p.evidence.terms)


@pytest.mark.parametrize("text, passive", [
    ("Mexico saw its ambassador expelled by Peru on Tuesday.", True),
    ("Mexico was hit with new tariffs by Peru.", True),
    ("Aid to Haiti was cut off by Canada last week.", True),
    ("Two Chilean sailors were freed by Bolivia.", True),
    ("Peru recalled its ambassador to Mexico.", False),
    ("Mexico said it would meet Peru by Friday.", False),
])
def test_passive_voice_with_an_agent_is_recognised(text, passive):
    assert bool(_PASSIVE.search(text)) is passive
