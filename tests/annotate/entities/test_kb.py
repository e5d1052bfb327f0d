"""The curated knowledge base: well-formed data and lookups across spellings."""

from __future__ import annotations

import re

from newsfacts.annotate.entities.kb import KnowledgeBase, alias_key, load_kb, parse_entries

ID = re.compile(r"^kb:(person|org|place|norp|event|product|law|work|other):[a-z0-9-]+$")


def test_entries_are_well_formed():
    kb = load_kb()
    assert len(kb.entries) >= 40
    for entry in kb.entries:
        assert ID.match(entry.id), entry.id
        assert entry.id.split(":")[1] == entry.type.lower(), entry.id
        assert entry.wikidata is None or re.fullmatch(r"Q\d+", entry.wikidata)


def test_no_alias_names_two_entries_of_one_type():
    kb = load_kb()
    for key, entries in kb.by_key.items():
        types = [e.type for e in entries]
        assert len(types) == len(set(types)), (key, [e.id for e in entries])


def test_spelling_variants_find_one_entry():
    kb = load_kb()
    for spelling in ("Kim Jong Un", "Kim Jong-un", "KIM JONG UN", "Kim Jong-Un's"):
        assert kb.lookup(spelling).id == "kb:person:kim-jong-un", spelling
    assert kb.lookup("Georgiy Zinovyev").id == kb.lookup("Georgy Zinoviev").id == "kb:person:georgiy-zinoviev"
    assert kb.lookup("Volodymyr Zelenskyy").id == "kb:person:volodymyr-zelensky"
    assert kb.lookup("U.S.").id == kb.lookup("the United States").id == "kb:place:united-states"
    assert kb.lookup("Kim") is None  # a bare surname is never linked on its own


def test_alias_key_folds_transliteration_but_keeps_different_names_apart():
    assert alias_key("Zinovyev") == alias_key("Zinoviev")
    assert alias_key("Sergey Ryabkov") == alias_key("Sergei Ryabkov")
    assert alias_key("Kim Jong Un") != alias_key("Kim Jong Gyu") != alias_key("Kim Hong-kyun")


def test_context_aliases_need_their_context():
    kb = load_kb()
    assert kb.lookup("NIS") is None
    assert kb.lookup("NIS", context="South Korea's NIS said").id == "kb:org:national-intelligence-service-south-korea"
    assert kb.lookup("NIS", context="The NIS of another country said") is None
    assert kb.lookup("North", context="the North fired missiles") is None
    assert kb.lookup("North", context="North Korea said the North fired").id == "kb:place:north-korea"


def test_descriptions_are_separate_from_names():
    kb = load_kb()
    nis = "kb:org:national-intelligence-service-south-korea"
    assert kb.description_entry("Seoul's spy agency").id == nis
    assert kb.description_entry("Seoul’s spy agency").id == nis
    assert kb.is_description(nis, "South Korea's spy agency")
    assert not kb.is_description(nis, "National Intelligence Service")


def test_a_custom_kb_can_be_built_and_duplicates_fail():
    records = [{"id": "kb:org:acme", "name": "Acme", "type": "ORG", "aliases": ["Acme Corp"]}]
    kb = KnowledgeBase(parse_entries(records))
    assert kb.lookup("ACME CORP").id == "kb:org:acme"
    try:
        KnowledgeBase(parse_entries(records * 2))
    except ValueError as exc:
        assert "duplicate" in str(exc)
    else:
        raise AssertionError("duplicate ids were accepted")


def test_misspellings_link_and_are_reported():
    from newsfacts.annotate.entities import find_entities, garbled_name_errors
    from newsfacts.annotate.entities.kb import load_kb
    from newsfacts.annotate.nlp import load_nlp

    kb = load_kb()
    assert kb.lookup("Shin Won-Sikin").id == "kb:person:shin-won-sik"
    assert kb.is_misspelling("kb:person:shin-won-sik", "Shin Won-Sikin")
    assert not kb.is_misspelling("kb:person:shin-won-sik", "Shin Won-sik")
    doc = load_nlp()("Defense Minister Shin Won-Sikin said the North had sent shells. Shin Won-sik spoke again.")
    errors = garbled_name_errors(find_entities(doc, kb), kb)
    assert [(e.kind, e.span.text) for e in errors] == [("garbled_name", "Shin Won-Sikin")]
    assert doc.text[errors[0].span.start : errors[0].span.end] == "Shin Won-Sikin"
