#!/usr/bin/env python3
"""Measure `.warc.gz` read throughput (not a test): this tree's read_warc against the one of an older commit
(by default the one before read/gzip_members.py was added), in the same process, taking turns every round so
both see the same load on a shared machine. Reports the median wall-clock and CPU time per variant and file,
MB of decompressed WARC per second, and the ratio of this tree's median to the old one's; for the whole read
(read_warc) and for the gzip layer alone (the decompressed bytes read in warcio's 16 KiB blocks, no parsing).

The WARCs are built from the BBC corpus (/work/shared/corpora/bbc-2225.tar.gz, or --corpus): each article an
HTML page in a `response` record, preceded by its `request` record, and a warcinfo record first (4,451 records
for the 2,225 articles). Two files: one gzip member per record (as WARC writers do), and the same WARC
compressed whole as one member (`gzip crawl.warc`). `--copies 5` makes it past gzip_members.SPOOL_BYTES (32 MiB
decompressed), so the new reader spills it to a temporary file.

    .venv/bin/python scripts/bench_warc.py --rounds 9
    .venv/bin/python scripts/bench_warc.py --rounds 9 --old f036fea
    .venv/bin/python scripts/bench_warc.py --rounds 5 --copies 5
"""

from __future__ import annotations

import argparse
import gzip
import html
import importlib.util
import io
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfacts.read.gzip_members import CheckedGzipMembers
from newsfacts.read.warc import read_warc

REPO = Path(__file__).resolve().parents[1]
CORPUS = Path(os.environ.get("NEWSFACTS_SHARED", "/work/shared")) / "corpora" / "bbc-2225.tar.gz"
MODULE = "src/newsfacts/read/warc.py"


def articles(corpus: Path) -> list[tuple[str, bytes]]:
    with tarfile.open(corpus) as tar:
        return [(member.name, tar.extractfile(member).read()) for member in tar.getmembers()
                if member.isfile() and member.name.endswith(".txt") and "README" not in member.name]


def page(raw: bytes) -> bytes:
    text = raw.decode("utf-8", errors="replace")
    title, _, body = text.partition("\n")
    paragraphs = "".join(f"<p>{html.escape(p.strip())}</p>" for p in body.split("\n") if p.strip())
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{html.escape(title)}</title></head><body>"
            f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article></body></html>").encode()


def build_warc(corpus: Path, copies: int) -> bytes:
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    writer.write_record(writer.create_warcinfo_record("bbc.warc", {"software": "bench_warc.py"}))
    for copy, (name, raw) in ((c, a) for c in range(copies) for a in articles(corpus)):
        name = f"{copy}/{name}"
        uri = f"https://news.example.com/{name}"
        request = StatusAndHeaders(f"GET /{name} HTTP/1.1", [("Host", "news.example.com")], is_http_request=True)
        writer.write_record(writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request))
        body = page(raw)
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8"),
                                           ("Content-Length", str(len(body)))], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(uri, "response", payload=io.BytesIO(body), http_headers=http))
    return out.getvalue()


def member_per_record(plain: bytes) -> bytes:
    """The plain WARC's records, each compressed as a gzip member (records split where warcio's writer ends them)."""
    from warcio.archiveiterator import ArchiveIterator

    out = io.BytesIO()
    writer = WARCWriter(out, gzip=True)
    for record in ArchiveIterator(io.BytesIO(plain)):
        writer.write_record(record)
    return out.getvalue()


def old_module(rev: str):
    source = subprocess.run(["git", "show", f"{rev}:{MODULE}"], cwd=REPO, check=True, capture_output=True).stdout
    spec = importlib.util.spec_from_loader("old_warc", loader=None)
    module = importlib.util.module_from_spec(spec)
    exec(compile(source, f"{rev}:{MODULE}", "exec"), module.__dict__)
    return module


def decompress_only(stream_of):
    """A reader of the decompressed bytes alone, in warcio's 16 KiB blocks: the gzip layer without warcio."""
    def read(file, *_):
        stream = stream_of(file)
        while stream.read(16384):
            pass
        return ()
    return read


def default_old() -> str:
    added = subprocess.run(["git", "log", "--diff-filter=A", "--format=%H", "--", "src/newsfacts/read/gzip_members.py"],
                           cwd=REPO, check=True, capture_output=True, text=True).stdout.split()
    return f"{added[-1]}^" if added else "HEAD"


def read_all(reader, path: Path) -> tuple[float, float, int]:
    wall, cpu = time.perf_counter(), time.process_time()
    with open(path, "rb") as file:
        outcomes = list(reader(file, path.name, "0" * 64, 10 << 20))
    return time.perf_counter() - wall, time.process_time() - cpu, len(outcomes)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--old", default=None, help="the git revision of the reader to compare with")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--copies", type=int, default=1,
                        help="the corpus this many times over (5 makes the whole-file gzip spill to disk)")
    args = parser.parse_args()
    rev = args.old or default_old()
    old = old_module(rev)
    variants = {"old": old.read_warc, "new": read_warc}
    layers = {"old": decompress_only(lambda file: old._ErrorsWhenReached(gzip.GzipFile(fileobj=file, mode="rb"))),
              "new": decompress_only(CheckedGzipMembers)}
    plain = build_warc(args.corpus, args.copies)
    with tempfile.TemporaryDirectory() as work:
        files = {"member per record": Path(work) / "bbc.warc.gz", "whole-file gzip": Path(work) / "whole.warc.gz"}
        files["member per record"].write_bytes(member_per_record(plain))
        files["whole-file gzip"].write_bytes(gzip.compress(plain, mtime=0))
        print(f"old = {rev}; decompressed WARC {len(plain) / 1e6:.1f} MB, "
              + ", ".join(f"{kind} {path.stat().st_size / 1e6:.1f} MB" for kind, path in files.items()))
        runs = [(kind, "read_warc", variants) for kind in files] + [(kind, "gzip layer", layers) for kind in files]
        times = {(kind, what, name): ([], []) for kind, what, _ in runs for name in variants}
        counts = {}
        for name, reader in variants.items():  # one untimed round, and the outcomes must agree
            for kind, path in files.items():
                with open(path, "rb") as file:
                    counts[(kind, name)] = [(type(o).__name__, getattr(o, "line", None)) for o in
                                            reader(file, path.name, "0" * 64, 10 << 20)]
        for kind in files:
            same = counts[(kind, "old")] == counts[(kind, "new")]
            print(f"{kind}: {len(counts[(kind, 'new')])} outcomes, old and new {'agree' if same else 'DIFFER'}")
        for round_ in range(args.rounds):
            for kind, what, readers in runs:
                for name in (["old", "new"] if round_ % 2 == 0 else ["new", "old"]):
                    wall, cpu, _ = read_all(readers[name], files[kind])
                    times[(kind, what, name)][0].append(wall)
                    times[(kind, what, name)][1].append(cpu)
        print(f"\nmedians of {args.rounds} rounds (wall s / CPU s / decompressed MB per wall s)")
        for kind, what, _ in runs:
            line = []
            for name in variants:
                wall, cpu = (statistics.median(t) for t in times[(kind, what, name)])
                line.append(f"{name} {wall:.3f} / {cpu:.3f} / {len(plain) / 1e6 / wall:.1f}")
            old_wall, new_wall = (statistics.median(times[(kind, what, n)][0]) for n in variants)
            old_cpu, new_cpu = (statistics.median(times[(kind, what, n)][1]) for n in variants)
            print(f"{kind:18} {what:10} {'; '.join(line)}; new/old wall {new_wall / old_wall:.2f}, "
                  f"CPU {new_cpu / old_cpu:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
