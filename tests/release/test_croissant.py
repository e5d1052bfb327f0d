"""croissant.json: valid Croissant 1.1 (checked by mlcroissant, the reference implementation), readable through
it, generated from the models, with the Responsible-AI fields, and part of the release like every file."""

from __future__ import annotations

import itertools
import json

import pyarrow.parquet as pq
import pytest

from newsfacts.models import CONFIGS
from newsfacts.release.card import ReleaseInfo
from newsfacts.release.croissant import CONFORMS_TO, CROISSANT_FILE, croissant_metadata
from newsfacts.release.fields import config_fields
from newsfacts.release.write import CHECKSUM_FILE, parquet_path, sha256_file

RAI_FIELDS = ("rai:dataCollection", "rai:dataCollectionType", "rai:dataPreprocessingProtocol", "rai:dataLimitations",
              "rai:dataBiases", "rai:personalSensitiveInformation", "rai:dataUseCases", "rai:dataSocialImpact")


@pytest.fixture(scope="module")
def croissant(seed_release):
    return json.loads((seed_release / CROISSANT_FILE).read_text(encoding="utf-8"))


@pytest.fixture
def mlc_dataset(seed_release):
    mlc = pytest.importorskip("mlcroissant")
    return lambda: mlc.Dataset(jsonld=str(seed_release / CROISSANT_FILE))


def _records(dataset, record_set, n):
    # A fresh mlcroissant Dataset per read: one instance yields a record set's records once.
    return list(itertools.islice(dataset().records(record_set=record_set), n))


def _decoded(value):
    return value.decode("utf-8") if isinstance(value, bytes) else value


def test_mlcroissant_finds_no_error(seed_release):
    mlc = pytest.importorskip("mlcroissant")
    # Metadata raises on any validation error; warnings are allowed only for what cannot be deterministic.
    metadata = mlc.Metadata.from_file(ctx=mlc.Context(), file=str(seed_release / CROISSANT_FILE))
    assert not metadata.ctx.issues.errors
    assert all("datePublished" in w for w in metadata.ctx.issues.warnings), metadata.ctx.issues.warnings
    assert metadata.ctx.is_v1_1()
    assert [rs.name for rs in metadata.record_sets] == list(CONFIGS)


@pytest.mark.parametrize("config", list(CONFIGS))
def test_records_read_through_mlcroissant_equal_the_parquet(seed_release, mlc_dataset, config):
    rows = pq.read_table(seed_release / parquet_path(config)).to_pylist()[:3]
    records = _records(mlc_dataset, config, 3)
    assert len(records) == len(rows) > 0
    for row, record in zip(rows, records):
        for column in config_fields(config):
            if column.kind == "struct":
                continue  # nested values: checked below for the per-item configs
            assert _decoded_all(record[f"{config}/{column.name}"]) == row[column.name], (config, column.name)


def _decoded_all(value):
    return [_decoded(v) for v in value] if isinstance(value, list) else _decoded(value)


def test_nested_members_are_read_through_mlcroissant(seed_release, mlc_dataset):
    quotes = pq.read_table(seed_release / parquet_path("quotes")).to_pylist()
    record = _records(mlc_dataset, "quotes", 1)[0]
    speaker = quotes[0]["speaker"]
    assert _decoded(record["quotes/speaker"]["quotes/speaker/name"]) == speaker["name"]
    assert _decoded(record["quotes/cue"]["quotes/cue/text"]) == quotes[0]["cue"]["text"]
    entity = pq.read_table(seed_release / parquet_path("entities")).to_pylist()[0]
    mentions = _records(mlc_dataset, "entities", 1)[0]["entities/mentions"]
    assert [_decoded(m["entities/mentions/text"]) for m in mentions] == [m["text"] for m in entity["mentions"]]
    assert [m["entities/mentions/start"] for m in mentions] == [m["start"] for m in entity["mentions"]]


def test_dataset_level_metadata(croissant):
    from newsfacts import __version__

    assert croissant["conformsTo"] == CONFORMS_TO and croissant["@type"] == "sc:Dataset"
    assert croissant["name"] == "newsfacts" and croissant["version"] == __version__ and croissant["license"] == "other"
    assert f"version {__version__}" in croissant["citeAs"] and croissant["citeAs"].startswith("@misc{")
    assert "datePublished" not in croissant  # a build has no date that is not a clock's
    assert croissant["temporalCoverage"] == "2024-10-21"  # the dated seeds; null dates are left out


def test_one_file_object_per_config_with_the_files_checksum(seed_release, croissant):
    files = {f["@id"]: f for f in croissant["distribution"]}
    assert len(files) == len(CONFIGS)
    for config in CONFIGS:
        file = files[f"parquet-{config}"]
        assert file["contentUrl"] == parquet_path(config) and file["encodingFormat"] == "application/x-parquet"
        assert file["sha256"] == sha256_file(seed_release / parquet_path(config))


def test_fields_are_generated_from_the_models(croissant):
    record_sets = {rs["@id"]: rs for rs in croissant["recordSet"]}
    assert list(record_sets) == list(CONFIGS)
    quote_fields = {f["name"]: f for f in record_sets["quotes"]["field"]}
    assert list(quote_fields) == [c.name for c in config_fields("quotes")]
    assert quote_fields["confidence"]["dataType"] == "sc:Float" and quote_fields["index"]["dataType"] == "sc:Integer"
    assert quote_fields["kind"]["description"].startswith("full: a whole quoted statement")
    assert "One of: 'full', 'partial', 'unmarked', 'dash'." in quote_fields["kind"]["description"]
    speaker = {f["name"]: f for f in quote_fields["speaker"]["subField"]}
    assert speaker["name"]["source"]["transform"] == {"jsonPath": "$['name']"}
    assert {f["name"] for f in speaker["mention"]["subField"]} == {"text", "start", "end"}
    catalog = {f["name"]: f for f in record_sets["entity_catalog"]["field"]}
    assert catalog["aliases"]["isArray"] is True and catalog["aliases"]["dataType"] == "sc:Text"
    assert catalog["in_knowledge_base"]["dataType"] == "sc:Boolean"
    articles = {f["name"]: f for f in record_sets["articles"]["field"]}
    assert articles["quotes"]["isArray"] is True and "dataType" not in articles["quotes"]


def test_joins_are_references(croissant):
    def field(record_set, *path):
        fields = next(rs for rs in croissant["recordSet"] if rs["@id"] == record_set)["field"]
        for name in path:
            node = next(f for f in fields if f["name"] == name)
            fields = node.get("subField", [])
        return node.get("references", {}).get("field", {}).get("@id")

    for config in ("quotes", "figures", "entities"):
        assert field(config, "article_id") == "articles/id"
    assert field("entities", "id") == "entity_catalog/id"
    assert field("quotes", "speaker", "entity_id") == "entity_catalog/id"
    assert field("figures", "claimant", "entity_id") == "entity_catalog/id"
    assert field("entity_catalog", "id") is None and field("articles", "id") is None


def test_responsible_ai_fields_describe_this_build(croissant):
    for key in RAI_FIELDS:
        assert croissant[key], key
    collection = croissant["rai:dataCollection"]
    assert "5 news article(s)" in collection and "txt: 5" in collection and "Daily Tribune" in collection
    assert "plain-text dump of the rendered page" in collection  # the seeds' manifest retrieval notes
    assert any("en_core_web_sm" in tool for tool in croissant["rai:machineAnnotationTools"])
    limitations = " ".join(croissant["rai:dataLimitations"])
    assert "garbled_name: 2" in limitations and "English" in limitations


def test_a_users_build_is_described_generically(seed_release):
    from newsfacts.models import Article

    articles = [Article.model_validate(r) for r in pq.read_table(seed_release / parquet_path("articles")).to_pylist()]
    parquet = {c: (parquet_path(c), "0" * 64, 1) for c in CONFIGS}
    anonymous = croissant_metadata(articles, {}, {"counts": {}}, parquet, ReleaseInfo())
    assert anonymous["name"] == "untitled-newsfacts-release" and anonymous["license"] == "unknown"
    assert "version" not in anonymous and "no dataset version was given" in anonymous["citeAs"]
    theirs = croissant_metadata(articles, {}, {"counts": {}}, parquet,
                                ReleaseInfo(name="Election desk", license="cc-by-4.0", version="2.1.0"))
    assert (theirs["name"], theirs["license"], theirs["version"]) == ("Election desk", "cc-by-4.0", "2.1.0")
    assert "@misc{electiondesk_2_1_0," in theirs["citeAs"]
    text = json.dumps(anonymous)
    assert "seed" not in text.lower() and "North Korea" not in text  # nothing of the seed release's own story


def test_written_deterministically_and_listed_in_the_checksums(seed_release, tmp_path):
    from newsfacts.release.croissant import write_croissant

    text = (seed_release / CROISSANT_FILE).read_text(encoding="utf-8")
    document = json.loads(text)
    assert text == json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    assert f"  {CROISSANT_FILE}" in (seed_release / CHECKSUM_FILE).read_text()
    # The same inputs give the same bytes (the Parquet files are copied, the rest regenerated).
    import shutil

    from newsfacts.models import Article
    from tests_paths import seed_release_info

    shutil.copytree(seed_release / "data", tmp_path / "data")
    articles = [Article.model_validate(r) for r in pq.read_table(seed_release / parquet_path("articles")).to_pylist()]
    counts = {c: pq.read_metadata(seed_release / parquet_path(c)).num_rows for c in CONFIGS}
    report = json.loads((seed_release / "build-report.json").read_text())
    written = write_croissant(tmp_path, list(reversed(articles)), counts, report, seed_release_info())
    assert written.read_text(encoding="utf-8") == text
