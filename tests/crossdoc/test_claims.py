"""Figures of different articles grouped into claims: the cases that can go wrong."""

from __future__ import annotations

import random

from newsfacts.crossdoc import ClaimCollector
from newsfacts.crossdoc.claims import ClaimSettings, default_settings, interval
from newsfacts.crossdoc.records import figure_records

from crossdoc.builders import make_article

NIS = ("National Intelligence Service", "kb:org:nis")
PLACES = [("kb:place:north-korea", "North Korea"), ("kb:place:russia", "Russia")]


def soldiers_articles():
    """Three outlets report the spy agency's count (10,000; around 12,000; 10,000 undated), one of them next to
    10,000 containers of munitions, which a fourth outlet reports too."""
    a = make_article(
        "According to the National Intelligence Service, North Korea is sending troops to Russia, an estimated "
        "total of 10,000 soldiers.", outlet="Outlet A", date="2024-10-21", entities=PLACES,
        figures=[{"text": "10,000 soldiers", "value": 10000, "unit": "soldiers", "claimant": NIS}])
    b = make_article(
        "The National Intelligence Service estimated North Korea could send around 12,000 soldiers to Russia in "
        "total.", outlet="Outlet B", date="2024-10-22", entities=PLACES,
        figures=[{"text": "around 12,000 soldiers", "value": 12000, "unit": "soldiers", "hedge": "about",
                  "claimant": NIS}])
    c = make_article(
        "North Korea has 10,000 troops to deploy to Russia, the National Intelligence Service told lawmakers.\n\n"
        "North Korea has delivered at least 10,000 containers of munitions to Russia, the National "
        "Intelligence Service said.", outlet="Outlet C", entities=PLACES,
        figures=[{"text": "10,000 troops", "value": 10000, "unit": "troops", "claimant": NIS},
                 {"text": "at least 10,000 containers", "value": 10000, "unit": "containers", "hedge": "at_least",
                  "claimant": NIS}])
    d = make_article(
        "North Korea shipped 10,000 containers of munitions to Russia, the National Intelligence Service said.",
        outlet="Outlet D", date="2024-10-20", entities=PLACES,
        figures=[{"text": "10,000 containers", "value": 10000, "unit": "containers", "claimant": NIS}])
    return [a, b, c, d]


def claims_of(articles, cfg=None):
    collector = ClaimCollector(cfg)
    for article in articles:
        collector.add(article)
    return collector.claims()


def test_disputed_count_is_one_disagree_claim_without_the_containers():
    a, b, c, d = soldiers_articles()
    claims = claims_of([a, b, c, d])
    soldiers = [cl for cl in claims if cl.values == [10000.0, 12000.0]]
    assert len(soldiers) == 1
    claim = soldiers[0]
    assert claim.status == "disagree"
    assert claim.outlets == ["Outlet A", "Outlet B", "Outlet C"]
    assert {m.text for m in claim.members} == {"10,000 soldiers", "around 12,000 soldiers", "10,000 troops"}
    assert all(m.reasons for m in claim.members)
    assert any("claimant: National Intelligence Service" in r for m in claim.members for r in m.reasons)
    containers = [cl for cl in claims if cl is not claim]
    assert len(containers) == 1 and {m.text for m in containers[0].members} == {
        "at least 10,000 containers", "10,000 containers"}
    assert containers[0].status == "agree"  # one value, whatever the hedge


def test_undated_article_needs_strong_evidence():
    _, b, _, _ = soldiers_articles()
    weak = make_article("Some 12,000 soldiers marched in a parade.", outlet="Outlet E",
                        figures=[{"text": "12,000 soldiers", "value": 12000, "unit": "soldiers"}])
    assert claims_of([b, weak]) == []


def test_dates_outside_the_window_are_not_one_claim():
    a, b, _, _ = soldiers_articles()
    late = b.model_copy(update={"id": "f" * 16, "date": b.date.model_copy(update={"value": "2025-06-01"})})
    assert [cl.values for cl in claims_of([a, late])] == []
    assert [cl.values for cl in claims_of([a, b])] == [[10000.0, 12000.0]]


def test_counts_far_apart_are_different_claims():
    a, _, _, _ = soldiers_articles()
    first = make_article(
        "According to the National Intelligence Service, the first 1,500 soldiers of North Korea are in Russia.",
        outlet="Outlet F", date="2024-10-21", entities=PLACES,
        figures=[{"text": "1,500 soldiers", "value": 1500, "unit": "soldiers", "claimant": NIS}])
    assert claims_of([a, first]) == []


def pair(first: dict, second: dict, dates=("2024-10-21", "2024-10-21")):
    texts = []
    for spec, day, outlet in ((first, dates[0], "One"), (second, dates[1], "Two")):
        spec = {"unit": "soldiers", "claimant": NIS, **spec}
        texts.append(make_article(
            f"North Korea sent {spec['text']} to Russia, the National Intelligence Service said.", outlet=outlet,
            date=day, entities=PLACES, figures=[spec]))
    return claims_of(texts)


def test_status_agree_range_update_disagree():
    assert pair({"text": "1,500 soldiers", "value": 1500}, {"text": "about 1,500 soldiers", "value": 1500,
                                                             "hedge": "about"})[0].status == "agree"
    assert pair({"text": "about 12,000 soldiers", "value": 12000, "hedge": "about"},
                {"text": "10,000 to 12,000 soldiers", "value": 10000, "value_max": 12000})[0].status == "range"
    assert pair({"text": "10,000 soldiers", "value": 10000},
                {"text": "12,000 soldiers", "value": 12000}, dates=("2024-10-01", "2024-10-20"))[0].status == "update"
    assert pair({"text": "10,000 soldiers", "value": 10000},
                {"text": "12,000 soldiers", "value": 12000})[0].status == "disagree"


def test_update_needs_every_member_dated():
    claims = pair({"text": "10,000 soldiers", "value": 10000}, {"text": "12,000 soldiers", "value": 12000},
                  dates=("2024-10-01", None))
    assert [c.status for c in claims] == ["disagree"]


def test_hedge_intervals():
    (record,) = figure_records(make_article("About 100 people came.", figures=[
        {"text": "About 100 people", "value": 100, "unit": "people", "hedge": "about"}]))
    assert interval(record, 0.1) == (90.0, 110.0)


def test_rows_do_not_depend_on_input_order():
    articles = soldiers_articles()
    expected = ClaimCollector()
    for article in articles:
        expected.add(article)
    rows = expected.rows()
    for seed in range(5):
        shuffled = articles[:]
        random.Random(seed).shuffle(shuffled)
        collector = ClaimCollector()
        for article in shuffled:
            collector.add(article)
        assert collector.rows() == rows
    assert rows == sorted(rows, key=lambda r: r["id"])


def test_thresholds_are_data():
    data = default_settings()
    strict = ClaimSettings(**{**data.__dict__, "join_score": 99.0, "undated_score": 99.0})
    assert claims_of(soldiers_articles(), strict) == []


def test_undated_articles_join_on_the_sentence_and_a_precise_value():
    """The same story in two undated articles: a precise amount, the same words around it."""
    yukos = [("kb:org:yukos", "Yukos")]
    one = make_article("Yukos was forced to sell its main unit to pay a $27.5bn back tax bill.", entities=yukos,
                       figures=[{"text": "$27.5bn", "value": 27.5e9, "kind": "money", "unit": "USD", "object": None}])
    two = make_article("The unit was auctioned to help pay off a $27.5bn back tax bill owed by Yukos.", entities=yukos,
                       figures=[{"text": "$27.5bn", "value": 27.5e9, "kind": "money", "unit": "USD", "object": None}])
    other = make_article("Shareholders of the airline approved a $27.5bn merger with its rival.",
                         figures=[{"text": "$27.5bn", "value": 27.5e9, "kind": "money", "unit": "USD", "object": None}])
    (claim,) = claims_of([one, two, other])
    assert {m.article_id for m in claim.members} == {one.id, two.id}
    assert claim.status == "agree" and claim.first_date is None
    assert any(r.startswith("sentence words:") for m in claim.members for r in m.reasons)


# ---- at corpus scale: candidates found by shared evidence, copies grouped as one ---------------------------

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsfacts.crossdoc import claim_candidates  # noqa: E402
from newsfacts.crossdoc import claims as claims_module  # noqa: E402
from newsfacts.crossdoc.grouping import ConstrainedGroups  # noqa: E402
from newsfacts.crossdoc.records import ArticleInfo, FigureRecord  # noqa: E402
from newsfacts.crossdoc.text import inverse_document_frequency  # noqa: E402

# Small vocabularies, so that random figures share nouns, values, entities and words as news figures do.
WORDS = ["army", "border", "minister", "said", "report", "deploy", "troop", "estimate", "official", "war",
         "capital", "budget", "vote", "rise", "fall", "market"]
UNITS = ["soldiers", "troops", "people", "containers", "percent", "usd"]


@st.composite
def figure_specs(draw):
    kind, unit = draw(st.sampled_from([("count", "soldiers"), ("count", "troops"), ("count", "people"),
                                       ("count", "containers"), ("percent", "percent"), ("money", "usd")]))
    value = draw(st.sampled_from([10, 12, 14.5, 15, 100, 1000, 10000, 11500, 12000, 27500]))
    return dict(
        kind=kind, unit=unit, value=float(value),
        value_max=draw(st.sampled_from([None, None, None, float(value) * 1.2])),
        object=draw(st.sampled_from([None, unit, f"North Korean {unit}", "budget deficit", "special forces"])),
        hedge=draw(st.sampled_from([None, None, "about", "at_least", "up_to", "nearly"])),
        claimant=draw(st.sampled_from([None, None, ("NIS", "kb:org:nis"), ("Seoul", None), ("Kyiv", "kb:place:kyiv")])),
        context=tuple(sorted(draw(st.sets(st.sampled_from(["kb:a", "kb:b", "kb:c", "kb:d"]), max_size=2)))),
        words=tuple(sorted(draw(st.sets(st.sampled_from(WORDS), max_size=6)))),
    )


def records_from(specs, articles):
    """FigureRecords of `specs` spread over `articles` (article, date) pairs, as many articles would give."""
    records = []
    for n, (spec, (article, day)) in enumerate(zip(specs, articles)):
        claimant = spec["claimant"]
        records.append(FigureRecord(
            ArticleInfo(f"{article:016x}", f"Outlet {article % 3}", day), n, f"{spec['value']:g} {spec['unit']}",
            spec["value"], spec["value_max"], spec["kind"], spec["unit"], spec["object"], spec["hedge"], False,
            claimant[0] if claimant else None, claimant[1] if claimant else None, spec["context"], spec["words"]))
    return records


corpora = st.lists(figure_specs(), min_size=2, max_size=40).flatmap(
    lambda specs: st.tuples(st.just(specs), st.lists(
        st.tuples(st.integers(0, 9), st.sampled_from([None, "2024-10-20", "2024-10-22", "2025-01-30"])),
        min_size=len(specs), max_size=len(specs))))


def every_pair_edges(figures, cfg, idf):
    """The reference: every pair of a block within the value ratio compared, as before candidates were pruned."""
    found = set()
    for a in figures:
        for b in figures:
            if (a.record.kind, cfg.noun_class.get(a.noun, a.noun)) != (b.record.kind, cfg.noun_class.get(b.noun, b.noun)):
                continue
            if not (a.low, a.key) < (b.low, b.key) or b.low > a.high * cfg.max_value_ratio + 1e-9:
                continue
            if a.record.article.article_id == b.record.article.article_id or not claims_module.compatible(a, b, cfg):
                continue
            score, _ = claims_module.evidence(a, b, cfg, {}, idf)
            if score >= claims_module._threshold(a.record, b.record, cfg) - 1e-9:
                found.add((a.key, b.key, round(score, 9)))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora)
def test_pruned_candidates_give_every_edge_of_comparing_all_pairs(corpus):
    cfg = default_settings()
    figures = [f for f in (claims_module._figure(r, cfg) for r in records_from(*corpus)) if f.noun]
    idf = inverse_document_frequency([f.record.words for f in figures])
    edges = claims_module.scored_pairs(figures, cfg, {}, idf)
    assert {(e.a.key, e.b.key, round(e.score, 9)) for e in edges} == every_pair_edges(figures, cfg, idf)


def test_pruning_is_exact_only_while_a_pair_needs_shared_evidence():
    weights = dict(default_settings().weights)
    assert claim_candidates.least_similarity(default_settings()) > 0
    lenient = ClaimSettings.from_data({**_settings_data(), "join_score": 1.4, "undated_score": 1.4})
    assert claim_candidates.least_similarity(lenient) is None  # noun and a near value alone reach 1.4
    assert weights == default_settings().weights


def _settings_data():
    from newsfacts.crossdoc.text import settings as data

    return dict(data()["claims"])


def grouped_without_copies(records, cfg):
    """The reference: every record grouped on its own (no classes of copies); the claims' member keys."""
    figures = sorted((f for f in (claims_module._figure(r, cfg) for r in records if claims_module._eligible(r, cfg))
                      if f.noun), key=lambda f: f.key)
    idf = inverse_document_frequency([f.record.words for f in figures])
    groups = ConstrainedGroups(figures, key=lambda f: f.key,
                               compatible=lambda x, y: claims_module.compatible(x, y, cfg))
    for edge in claims_module.scored_pairs(figures, cfg, {}, idf):
        groups.merge(edge.a, edge.b)
    return sorted(sorted(f.key for f in members) for members in groups.groups()
                  if len({f.record.article.article_id for f in members}) >= 2)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corpora, st.lists(st.integers(0, 39), max_size=6), st.integers(2, 5))
def test_copies_grouped_as_one_give_the_claims_of_grouping_each(corpus, copied, times):
    """Some figures republished `times` times (copies: same content and date, other articles): the claims
    are those of grouping every record on its own."""
    specs, articles = corpus
    records = records_from(specs, articles)
    article = 10
    for n in sorted(set(copied)):
        if n < len(records):
            for _ in range(times):
                original = records[n]
                records.append(FigureRecord(ArticleInfo(f"{article:016x}", "Syndicated", original.article.date),
                                            0, *[getattr(original, f) for f in FigureRecord.__dataclass_fields__
                                                 if f not in ("article", "index")]))
                article += 1
    cfg = default_settings()
    claims = claims_module.group_figures(records, {}, cfg)
    assert sorted(sorted((m.article_id, m.figure_index) for m in c.members) for c in claims) == \
        grouped_without_copies(records, cfg)


def test_a_precise_value_alone_is_found_as_a_candidate():
    """Two dated figures sharing only their noun and a precise value (27,500) join: the value is a key the
    candidates are found by, like a shared entity or word."""
    specs = [dict(kind="count", unit="soldiers", value=27500.0, value_max=None, object=None, hedge=None,
                  claimant=None, context=(), words=words) for words in (("army", "deploy"), ("budget", "vote"))]
    records = records_from(specs, [(1, "2024-10-20"), (2, "2024-10-21")])
    (claim,) = claims_module.group_figures(records, {}, default_settings())
    assert [m.reasons for m in claim.members][0] == ["counted noun: soldier", "same precise value: 27,500"]
