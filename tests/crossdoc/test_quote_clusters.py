"""Quotes of different articles grouped into clusters: full, partial, variant, and what must stay apart."""

from __future__ import annotations

import random

from newsfacts.crossdoc import QuoteClusterCollector

from crossdoc.builders import make_article

DESCHAUER = ("Kathrin Deschauer", "kb:person:kathrin-deschauer")
RUTTE = ("Mark Rutte", "kb:person:mark-rutte")


def quoted(words: str, speaker=(None, None), *, outlet=None, date=None, before="Someone said: ",
           after="the news conference heard."):
    return make_article(f"{before}\u201c{words}\u201d, {after}", outlet=outlet, date=date,
                        quotes=[(words, *speaker)])


def clusters_of(articles):
    collector = QuoteClusterCollector()
    for article in articles:
        collector.add(article)
    return collector.clusters()


def test_full_quote_in_two_outlets_first_carrier_by_date():
    words = "This direct involvement from North Korea requires urgent international pressure"
    late = quoted(words, RUTTE, outlet="Late", date="2024-10-25")
    early = quoted(words, RUTTE, outlet="Early", date="2024-10-21", before="On Monday he said: ")
    (cluster,) = clusters_of([late, early])
    assert cluster.first_outlet == "Early" and cluster.first_date == "2024-10-21"
    assert cluster.first_article_id == early.id
    assert [m.match for m in cluster.members] == ["full", "full"]
    assert cluster.speaker == "Mark Rutte" and cluster.speaker_entity_id == RUTTE[1]


def test_partial_quote_by_a_shared_run_with_an_unknown_speaker():
    full = quoted("We call on the North Korean side not to contribute to this and to refrain from doing anything "
                  "in this direction", DESCHAUER, outlet="One")
    part = quoted("not to contribute to this escalation", outlet="Two", before="A spokesperson urged North Korea ")
    (cluster,) = clusters_of([full, part])
    members = {m.article_id: m for m in cluster.members}
    assert members[full.id].match == "full" and members[part.id].match == "partial"
    assert cluster.canonical.startswith("We call on")
    assert 0 < members[part.id].similarity < 1
    assert cluster.speaker_entity_id == DESCHAUER[1]


def test_contained_quote_is_partial():
    full = quoted("North Korea sending troops to fight alongside Russia in Ukraine would mark a significant "
                  "escalation", RUTTE, outlet="One")
    part = quoted("fight alongside Russia in Ukraine would mark a significant escalation", RUTTE, outlet="Two")
    (cluster,) = clusters_of([full, part])
    assert sorted(m.match for m in cluster.members) == ["full", "partial"]
    assert {m.similarity for m in cluster.members} == {1.0}


def test_different_speakers_are_not_merged():
    words = "We will never accept foreign troops"
    assert clusters_of([quoted(words, RUTTE, outlet="One"), quoted(words, DESCHAUER, outlet="Two")]) == []
    close = "We shall never accept foreign troops"
    assert clusters_of([quoted(words, RUTTE, outlet="One"), quoted(close, DESCHAUER, outlet="Two")]) == []


def test_a_long_verbatim_sentence_with_two_speakers_is_one_attribution_slip():
    words = "We will never accept the deployment of foreign troops on our soil"
    (cluster,) = clusters_of([quoted(words, RUTTE, outlet="One"), quoted(words, DESCHAUER, outlet="Two")])
    assert [m.match for m in cluster.members] == ["full", "full"]


def test_short_phrase_inside_the_same_speakers_sentence():
    full = quoted("There can be no assurances at this stage that any offer will be made", RUTTE, outlet="One")
    short = quoted("at this stage", RUTTE, outlet="Two", before="He would not say ", after="what he would do.")
    (cluster,) = clusters_of([full, short])
    assert {m.match for m in cluster.members} == {"full", "partial"}
    unknown = quoted("at this stage", outlet="Two", before="He would not say ", after="what he would do.")
    assert clusters_of([full, unknown]) == []


def test_near_verbatim_variant_without_a_common_speaker():
    one = quoted("We will publish a detailed proposal for the industry next month", outlet="One")
    two = quoted("We will publish detailed proposals for the industry next month", outlet="Two")
    (cluster,) = clusters_of([one, two])
    assert sorted(m.match for m in cluster.members) == ["full", "variant"]


def test_variant_translation_needs_the_same_speaker():
    one = "We urge the North Korean side not to contribute to this escalation and to refrain from any such steps"
    two = "We call upon North Korea to refrain from steps that contribute to escalation of this kind"
    (cluster,) = clusters_of([quoted(one, DESCHAUER, outlet="One"), quoted(two, DESCHAUER, outlet="Two")])
    assert "variant" in {m.match for m in cluster.members}
    assert clusters_of([quoted(one, DESCHAUER, outlet="One"), quoted(two, outlet="Two")]) == []


def test_short_phrases_do_not_cluster():
    one = quoted("grave concern", outlet="One", before="The ministers voiced ", after="in Washington on Friday.")
    two = quoted("grave concern", outlet="Two", before="Investors expressed ", after="about the bank's losses.")
    assert clusters_of([one, two]) == []


def test_short_phrase_in_the_same_story_filed_twice():
    story = dict(before="Manchester United confirmed they had received a ", after="from the US tycoon on Sunday.")
    one, two = quoted("detailed proposal", outlet="One", **story), quoted("detailed proposals", outlet="Two", **story)
    (cluster,) = clusters_of([one, two])
    assert sorted(m.match for m in cluster.members) == ["full", "variant"]


def test_same_article_only_is_no_cluster():
    words = "This, of course, might change in the coming weeks"
    text = f"He said \u201c{words}\u201d and again \u201c{words} \u201d."
    article = make_article(text, quotes=[(words, *RUTTE)])
    assert clusters_of([article]) == []


def test_rows_do_not_depend_on_input_order():
    articles = [
        quoted("We call on the North Korean side not to contribute to this and to refrain from doing anything",
               DESCHAUER, outlet="One", date="2024-10-25"),
        quoted("not to contribute to this escalation", outlet="Two", date="2024-10-25"),
        quoted("not to contribute to this and to refrain from doing anything", DESCHAUER, outlet="Three"),
        quoted("This direct involvement from North Korea requires urgent pressure", RUTTE, outlet="Four"),
        quoted("This direct involvement from North Korea requires urgent pressure", RUTTE, outlet="Five"),
    ]
    rows = None
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        collector = QuoteClusterCollector()
        for article in shuffled:
            collector.add(article)
        assert rows is None or collector.rows() == rows
        rows = collector.rows()
    assert len(rows) == 2 and rows == sorted(rows, key=lambda r: r["id"])


def test_a_speaker_resolved_through_a_pronoun_does_not_keep_quotes_apart():
    words = "You don't do deals over jobs"
    full = quoted("I dealt with this months ago and said then you don't do deals over jobs like this", RUTTE,
                  outlet="One")
    guessed = make_article(f"\u201c{words}\u201d, he told the programme.", outlet="Two",
                           quotes=[(words, *DESCHAUER)])
    guessed.quotes[0].speaker.kind = "pronoun"
    (cluster,) = clusters_of([full, guessed])
    assert cluster.speaker_entity_id in (RUTTE[1], DESCHAUER[1]) and len(cluster.members) == 2
    named = make_article(f"\u201c{words}\u201d, Deschauer told the programme.", outlet="Two",
                         quotes=[(words, *DESCHAUER)])
    assert clusters_of([full, named]) == []


# ---- at corpus scale: candidates made quote by quote, copies grouped as one ----------------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsfacts.crossdoc import quote_clusters as clusters_module  # noqa: E402
from newsfacts.crossdoc.grouping import ConstrainedGroups  # noqa: E402
from newsfacts.crossdoc.records import ArticleInfo, QuoteRecord  # noqa: E402
from newsfacts.crossdoc.text import inverse_document_frequency  # noqa: E402

# A small vocabulary (plurals and stop words included), so random quotes share runs, lemmas and speakers.
VOCABULARY = ["we", "will", "not", "the", "to", "of", "troops", "troop", "border", "peace", "talks", "support",
              "russia", "send", "never", "accept", "this", "escalation", "grave", "concern", "proposal", "proposals"]
SPEAKERS = [(None, None, None), ("Mark Rutte", "kb:rutte", "name"), ("Mark Rutte", None, "name"),
            ("Kim Jong Un", "kb:kim", "name"), ("he", None, "pronoun")]


@st.composite
def quote_records(draw, n: int):
    base = draw(st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=12))
    records = []
    for i in range(n):
        words = list(base) if draw(st.booleans()) else draw(st.lists(st.sampled_from(VOCABULARY), min_size=2,
                                                                       max_size=12))
        if draw(st.booleans()) and len(words) > 3:  # an excerpt or an edit of another quote
            start = draw(st.integers(0, len(words) - 2))
            words = words[start:start + draw(st.integers(2, len(words)))]
        speaker, entity, kind = draw(st.sampled_from(SPEAKERS))
        context = tuple(sorted(draw(st.sets(st.sampled_from(["say", "minister", "summit", "friday"]), max_size=3))))
        records.append(QuoteRecord(
            ArticleInfo(f"{draw(st.integers(0, 7)):016x}", None, draw(st.sampled_from([None, "2024-10-20"]))), i,
            " ".join(words), speaker, entity, (entity,) if entity else (), kind, context))
    return records


def every_pair_edges(quotes, cfg, idf):
    found = set()
    for i, a in enumerate(quotes):
        for b in quotes[i + 1:]:
            if a.record.article.article_id == b.record.article.article_id or not clusters_module._compatible(a, b, cfg):
                continue
            if clusters_module.match(a, b, cfg, idf):
                found.add((a.key, b.key))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 30).flatmap(quote_records))
def test_candidates_give_every_match_of_comparing_all_pairs(records):
    cfg = clusters_module.default_settings()
    quotes = sorted((clusters_module._quote(r) for r in records), key=lambda q: q.key)
    idf = inverse_document_frequency([q.record.words for q in quotes])
    candidates = {(a.key, b.key) for a, b in clusters_module._candidate_pairs(quotes, cfg)
                  if clusters_module._compatible(a, b, cfg) and clusters_module.match(a, b, cfg, idf)}
    assert candidates == every_pair_edges(quotes, cfg, idf)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(2, 20).flatmap(quote_records), st.lists(st.integers(0, 19), max_size=5), st.integers(2, 5))
def test_copies_grouped_as_one_give_the_clusters_of_grouping_each(records, copied, times):
    article = 8
    for n in sorted(set(copied)):
        if n < len(records):
            original = records[n]
            for _ in range(times):
                records.append(QuoteRecord(ArticleInfo(f"{article:016x}", "Syndicated", original.article.date), 0,
                                           *[getattr(original, f) for f in QuoteRecord.__dataclass_fields__
                                             if f not in ("article", "index")]))
                article += 1
    cfg = clusters_module.default_settings()
    clusters = clusters_module.group_quotes(records, {}, cfg)
    # the reference: every quote on its own, every pair compared
    quotes = sorted((clusters_module._quote(r) for r in records
                     if len(r.text.split()) >= min(cfg.min_words, cfg.min_words_same_speaker)), key=lambda q: q.key)
    idf = inverse_document_frequency([q.record.words for q in quotes])
    by_key = {q.key: q for q in quotes}
    edges = []
    for a_key, b_key in every_pair_edges(quotes, cfg, idf):
        a, b = by_key[a_key], by_key[b_key]
        kind, similarity = clusters_module.match(a, b, cfg, idf)
        edges.append(((-clusters_module.MATCH_STRENGTH[kind], -similarity), a.key, b.key))
    groups = ConstrainedGroups(quotes, key=lambda q: q.key, compatible=lambda x, y: clusters_module._compatible(x, y, cfg))
    for _, a_key, b_key in sorted(edges):
        groups.merge(by_key[a_key], by_key[b_key])
    expected = sorted(sorted(q.key for q in members) for members in groups.groups()
                      if len({q.record.article.article_id for q in members}) >= 2)
    assert sorted(sorted((m.article_id, m.quote_index) for m in c.members) for c in clusters) == expected
