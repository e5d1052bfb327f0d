"""The seed release's cross-document rows: the disputed count of North Korean soldiers, the special forces and
the German foreign ministry's statement."""

from __future__ import annotations

import pyarrow.parquet as pq

from newsfacts.release.write import parquet_path


def rows(release, config):
    return pq.read_table(release / parquet_path(config)).to_pylist()


def test_soldiers_claim_is_one_disagree_row_with_every_outlet(seed_release):
    figures = {(f["article_id"], f["index"]): f for f in rows(seed_release, "figures")}
    claims = rows(seed_release, "claims")
    soldiers = [c for c in claims if 12000.0 in c["values"]]
    assert len(soldiers) == 1
    claim = soldiers[0]
    assert claim["status"] == "disagree" and claim["values"] == [10000.0, 12000.0]
    # every article with a 10,000 or 12,000 count of soldiers or troops sourced to the spy agency is in it
    reported = {key[0] for key, f in figures.items()
                if f["value"] in (10000.0, 12000.0) and f["unit"] in ("soldiers", "troops")
                and f["claimant"] and f["claimant"]["entity_id"] == "kb:org:national-intelligence-service-south-korea"}
    assert {m["article_id"] for m in claim["members"]} == reported and len(reported) == 3
    containers = [key for key, f in figures.items() if f["unit"] == "containers"]
    assert containers and not any((m["article_id"], m["figure_index"]) in containers
                                  for c in claims for m in c["members"])


def test_special_forces_recur_in_three_articles(seed_release):
    claims = [c for c in rows(seed_release, "claims") if c["values"] == [1500.0]]
    assert len(claims) == 1
    assert len({m["article_id"] for m in claims[0]["members"]}) == 3


def test_german_foreign_ministry_statement_is_one_cluster(seed_release):
    clusters = [c for c in rows(seed_release, "quote_clusters") if "not to contribute to this" in c["canonical"]]
    assert len(clusters) == 1
    members = clusters[0]["members"]
    assert len({m["article_id"] for m in members}) == 2
    assert {m["match"] for m in members} == {"full", "partial"}
