import hashlib
from pathlib import Path

import pytest

from newsfacts.clean import clean_document
from newsfacts.documents import RawDocument

SEEDS = Path(__file__).resolve().parents[2] / "seeds"


def seed_raw(prefix: str) -> RawDocument:
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    return RawDocument(path=path.name, sha256=digest, id=digest[:16], format="txt", encoding="utf-8",
                       raw=data.decode("utf-8"))


@pytest.fixture(scope="session")
def seeds():
    return {p: clean_document(seed_raw(p)) for p in ("000", "001", "002", "003", "004")}
