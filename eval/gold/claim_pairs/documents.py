"""The documents the claim pairs point into, read as the build reads them.

* ``seeds``: every file of ``seeds/`` through ``newsfacts.read.files.read_folder`` (manifest and checksums
  included), so the ids and hints are the release's;
* ``bbc``: files of the BBC corpus tarball (``$NEWSFACTS_SHARED/corpora/bbc-2225.tar.gz``) through the
  reader's own decoding and ``newsfacts.evaluation.retention.raw_document``, like the retention scorer.

Offsets in the pair files are offsets into ``Article.text`` of ``newsfacts.pipeline.process`` on these
documents (no curation applied).
"""

from __future__ import annotations

import os
import tarfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from newsfacts.documents import RawDocument

REPO = Path(__file__).resolve().parents[3]
SEEDS = REPO / "seeds"


def shared_dir() -> Path:
    return Path(os.environ.get("NEWSFACTS_SHARED", "/work/shared"))


def seed_documents() -> Iterator[tuple[str, RawDocument]]:
    from newsfacts.read.files import read_folder

    for outcome in read_folder(SEEDS):
        if isinstance(outcome, RawDocument):
            yield outcome.path, outcome


def bbc_documents(names: Iterable[str]) -> Iterator[tuple[str, RawDocument]]:
    from newsfacts.evaluation.retention import raw_document
    from newsfacts.read.decode import decode

    wanted = set(names)
    with tarfile.open(shared_dir() / "corpora" / "bbc-2225.tar.gz") as archive:
        for member in sorted((m for m in archive.getmembers() if m.isfile() and m.name in wanted),
                             key=lambda m: m.name):
            text, _ = decode(archive.extractfile(member).read())
            yield member.name, raw_document(member.name, text)


def articles(corpus: str, names: Iterable[str] | None = None):
    """(file, Article) for the named files of a corpus (all seeds when `names` is None)."""
    from newsfacts.pipeline import Annotators, process

    annotators = Annotators.load()
    documents = seed_documents() if corpus == "seeds" else bbc_documents(names or ())
    wanted = None if names is None else set(names)
    for name, raw in documents:
        if wanted is None or name in wanted:
            yield name, process(raw, annotators)
