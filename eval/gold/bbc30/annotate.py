#!/usr/bin/env python3
"""The annotation tool of the BBC attribution set: compact hand-written YAML -> offset JSON, and checks.

Annotators never count characters. They write ``compact/NN.yaml`` (format in GUIDE.md) naming each quote,
speaker mention and figure by its exact words (plus an occurrence number ``at`` or an anchor ``after`` when
the words occur more than once); this tool finds the offsets in the decoded raw file and writes
``annotations/NN.json``, refusing anything it cannot place exactly once.

    python eval/gold/bbc30/annotate.py show 3              # the raw article, numbered lines (annotate from this)
    python eval/gold/bbc30/annotate.py build [3 4 ...]     # compact/*.yaml -> annotations/*.json
    python eval/gold/bbc30/annotate.py build --agreement   # agreement/compact/*.yaml -> agreement/*.json
    python eval/gold/bbc30/annotate.py check               # every JSON: raw[start:end] == text, fields valid

The corpus is read from $NEWSFACTS_SHARED (default ../shared beside the repository) through
``newsfacts.read.decode.decode``, the reader's own decoding; each file's bytes must match ``articles.tsv``.
"""

from __future__ import annotations

import argparse
import functools
import hashlib
import json
import os
import re
import sys
import tarfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
ANNOTATIONS = HERE / "annotations"
AGREEMENT = HERE / "agreement"

QUOTE_KINDS = {"full", "partial", "unmarked", "dash"}
MENTION_KINDS = {"name", "pronoun", "title", "description", "organization"}
FIGURE_KINDS = {"count", "money", "percent", "percentage_points", "measure", "number"}


class AnnotationError(ValueError):
    pass


def shared_dir() -> Path:
    env = os.environ.get("NEWSFACTS_SHARED")
    return Path(env) if env else REPO.parent / "shared"


def articles() -> dict[int, dict[str, str]]:
    """number -> {path, sha256, annotator} from articles.tsv."""
    lines = (HERE / "articles.tsv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:] if line.strip()]
    return {int(row["number"]): row for row in rows}


@functools.lru_cache(maxsize=None)
def corpus_bytes(archive_path: Path) -> dict[str, bytes]:
    wanted = {row["path"] for row in articles().values()}
    with tarfile.open(archive_path) as archive:
        return {m.name: archive.extractfile(m).read() for m in archive.getmembers() if m.name in wanted}


def raw_text(number: int, shared: Path | None = None) -> str:
    """The decoded raw article `number`, as the reader decodes it; its bytes must match articles.tsv."""
    try:
        from newsfacts.read.decode import decode
    except ModuleNotFoundError:  # run from a checkout without the package installed
        sys.path.insert(0, str(REPO / "src"))
        from newsfacts.read.decode import decode

    row = articles()[number]
    data = corpus_bytes((shared or shared_dir()) / "corpora" / "bbc-2225.tar.gz")[row["path"]]
    if hashlib.sha256(data).hexdigest() != row["sha256"]:
        raise AnnotationError(f"article {number}: {row['path']} does not match its sha256 in articles.tsv")
    return decode(data)[0]


# ---- finding words in the raw text --------------------------------------------------------------------


def occurrences(raw: str, words: str) -> list[int]:
    """Start offsets of `words` in `raw`, not inside a longer word ("he" is not found in "the")."""
    if not words:
        raise AnnotationError("empty string")
    head = r"(?<!\w)" if re.match(r"\w", words) else ""
    tail = r"(?!\w)" if re.search(r"\w$", words) else ""
    return [m.start() for m in re.finditer(head + re.escape(words) + tail, raw)]


def locate(raw: str, words: str, at: int | None = None, after: str | None = None, near: int | None = None) -> int:
    """The start of `words`: the `at`-th occurrence (1-based), the first at or after the anchor `after`
    (which must occur once), the occurrence nearest to offset `near`, or the only occurrence."""
    found = occurrences(raw, words)
    if not found:
        raise AnnotationError(f"not in the article: {words!r}")
    if at is not None:
        if not 1 <= at <= len(found):
            raise AnnotationError(f"{words!r}: at={at} but it occurs {len(found)} time(s)")
        return found[at - 1]
    if after is not None:
        anchors = [m.start() for m in re.finditer(re.escape(after), raw)]
        if len(anchors) != 1:
            raise AnnotationError(f"anchor {after!r} occurs {len(anchors)} times (must be once)")
        later = [s for s in found if s >= anchors[0]]
        if not later:
            raise AnnotationError(f"{words!r} does not occur after {after!r}")
        return later[0]
    if near is not None:
        return min(found, key=lambda s: (abs(s - near), s < near))
    if len(found) > 1:
        contexts = "; ".join(repr(raw[max(0, s - 25) : s + len(words) + 25]) for s in found)
        raise AnnotationError(f"{words!r} occurs {len(found)} times, give at: or after: ({contexts})")
    return found[0]


def _span(raw: str, words: str, start: int) -> dict:
    return {"text": words, "start": start, "end": start + len(words)}


# ---- compact -> JSON --------------------------------------------------------------------------------


def _quote(raw: str, item: dict) -> dict:
    words = item["q"]
    start = locate(raw, words, item.get("at"), item.get("after"))
    kind = item.get("kind", "full")
    if kind not in QUOTE_KINDS:
        raise AnnotationError(f"quote kind {kind!r} not in {sorted(QUOTE_KINDS)}")
    name = item.get("speaker")
    mention = item.get("mention")
    mention_kind = item.get("mention_kind")
    span = None
    if mention:
        if mention_kind not in MENTION_KINDS:
            raise AnnotationError(f"{words[:40]!r}: mention_kind {mention_kind!r} not in {sorted(MENTION_KINDS)}")
        mention_start = locate(raw, mention, item.get("mention_at"), item.get("mention_after"), near=start)
        span = _span(raw, mention, mention_start)
    elif mention_kind or name:
        raise AnnotationError(f"{words[:40]!r}: a speaker or mention_kind without a mention")
    if mention_kind == "name" and name is None:
        raise AnnotationError(f"{words[:40]!r}: a name mention needs the speaker's name")
    referent = name if mention_kind in ("pronoun", "title", "description") else None
    return {**_span(raw, words, start), "kind": kind,
            "speaker": {"name": name, "mention": span, "kind": mention_kind if span else None, "referent": referent}}


def _figure(raw: str, item) -> dict:
    if isinstance(item, list):  # [text, value, kind, unit, {extras}]
        extras = item[4] if len(item) > 4 else {}
        item = {"f": item[0], "value": item[1], "kind": item[2], "unit": item[3], **extras}
    words = item["f"]
    start = locate(raw, words, item.get("at"), item.get("after"))
    kind = item["kind"]
    if kind not in FIGURE_KINDS:
        raise AnnotationError(f"figure kind {kind!r} not in {sorted(FIGURE_KINDS)}")
    unit = item.get("unit")
    currency = unit.partition(" per ")[0] if isinstance(unit, str) else None  # "GBP per month"
    if kind == "money" and not (currency and (currency.isupper() or currency in ("penny", "cent"))):
        raise AnnotationError(f"{words!r}: money needs an ISO currency code (or penny/cent), got {unit!r}")
    if kind == "percent" and unit != "percent":
        raise AnnotationError(f"{words!r}: a percent figure has unit 'percent'")
    if kind == "number" and unit is not None:
        raise AnnotationError(f"{words!r}: a bare number has no unit")
    if kind in ("count", "measure") and not unit:
        raise AnnotationError(f"{words!r}: a {kind} needs its unit")
    value_max = item.get("max")
    return {**_span(raw, words, start), "value": float(item["value"]),
            "value_max": None if value_max is None else float(value_max), "kind": kind, "unit": unit,
            "vague": bool(item.get("vague", False))}


def build_one(compact_path: Path, out_dir: Path, shared: Path | None = None) -> Path:
    try:
        source = yaml.safe_load(compact_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise AnnotationError(f"{compact_path}: not valid YAML: {error}") from None
    number = int(source["article"])
    row = articles()[number]
    raw = raw_text(number, shared)
    errors: list[str] = []
    quotes, figures = [], []
    for item in source.get("quotes") or []:
        try:
            quotes.append(_quote(raw, item))
        except (AnnotationError, KeyError, TypeError) as error:
            errors.append(f"quote {item!r}: {error}")
    for item in source.get("figures") or []:
        try:
            figures.append(_figure(raw, item))
        except (AnnotationError, KeyError, TypeError, ValueError) as error:
            errors.append(f"figure {item!r}: {error}")
    if errors:
        raise AnnotationError(f"{compact_path}:\n  " + "\n  ".join(errors))
    for kind, items in (("quote", quotes), ("figure", figures)):
        seen = {}
        for item in items:
            key = (item["start"], item["end"])
            if key in seen:
                raise AnnotationError(f"{compact_path}: the same {kind} span twice: {item['text']!r}")
            seen[key] = item
    record = {"article": number, "path": row["path"], "sha256": row["sha256"],
              "annotator": source.get("annotator", row["annotator"]), "pass": source.get("pass", "first"),
              "notes": source.get("notes"),
              "quotes": sorted(quotes, key=lambda q: q["start"]), "figures": sorted(figures, key=lambda f: f["start"])}
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{number:02d}.json"
    out.write_text(json.dumps(record, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return out


# ---- checks -------------------------------------------------------------------------------------------


def check_record(record: dict, raw: str) -> list[str]:
    """Problems with one annotation file against its decoded raw text (empty when it is sound)."""
    problems = []
    where = f"article {record.get('article')}"

    def span_ok(span: dict, what: str) -> None:
        start, end = span["start"], span["end"]
        if not (0 <= start < end <= len(raw)) or raw[start:end] != span["text"]:
            problems.append(f"{where}: {what} {span['text']!r} at {start}:{end} is not raw[start:end]")

    for quote in record["quotes"]:
        span_ok(quote, "quote")
        if quote["kind"] not in QUOTE_KINDS:
            problems.append(f"{where}: quote kind {quote['kind']!r}")
        speaker = quote["speaker"]
        if speaker["mention"]:
            span_ok(speaker["mention"], "speaker mention")
            if speaker["kind"] not in MENTION_KINDS:
                problems.append(f"{where}: mention kind {speaker['kind']!r}")
    for figure in record["figures"]:
        span_ok(figure, "figure")
        if figure["kind"] not in FIGURE_KINDS:
            problems.append(f"{where}: figure kind {figure['kind']!r}")
    return problems


def check_folder(folder: Path, shared: Path | None = None) -> list[str]:
    problems = []
    table = articles()
    for path in sorted(folder.glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        if table[record["article"]]["sha256"] != record["sha256"]:
            problems.append(f"{path.name}: sha256 differs from articles.tsv")
        problems += [f"{path.name}: {p}" for p in check_record(record, raw_text(record["article"], shared))]
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    show = sub.add_parser("show")
    show.add_argument("number", type=int)
    build = sub.add_parser("build")
    build.add_argument("numbers", nargs="*", type=int)
    build.add_argument("--agreement", action="store_true", help="the re-annotated sample (agreement/)")
    sub.add_parser("check")
    args = parser.parse_args(argv)
    if args.command == "show":
        for i, line in enumerate(raw_text(args.number).split("\n"), 1):
            print(f"{i:3d}| {line}")
        return 0
    if args.command == "build":
        compact_dir = (AGREEMENT if args.agreement else HERE) / "compact"
        out_dir = AGREEMENT if args.agreement else ANNOTATIONS
        failed = False
        for path in sorted(compact_dir.glob("*.yaml")):
            if args.numbers and int(path.stem) not in args.numbers:
                continue
            try:
                print("wrote", build_one(path, out_dir).relative_to(REPO))
            except AnnotationError as error:
                print("ERROR", error, file=sys.stderr)
                failed = True
        return 1 if failed else 0
    problems = check_folder(ANNOTATIONS) + check_folder(AGREEMENT)
    for problem in problems:
        print(problem, file=sys.stderr)
    count = len(list(ANNOTATIONS.glob("*.json"))) + len(list(AGREEMENT.glob("*.json")))
    print(f"{count} annotation files checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
