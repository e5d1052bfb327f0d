"""The publishing outlet: from the page URL (hints), a "Source: URL" line, or a site name in the page
furniture, backed by the registry `data/outlets.yaml`. Unknown members stay null."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import tldextract
import yaml

from newsfacts.documents import CleanDocument, evidence_in_raw
from newsfacts.models import Evidence, Outlet

_URL = re.compile(r"https?://[^\s<>\"')]+")
# Offline: the public-suffix snapshot bundled with tldextract, never a download at run time.
_EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


@dataclass(frozen=True)
class Registry:
    outlets: tuple[dict, ...]
    wires: tuple[str, ...]

    def by_domain(self, domain: str) -> dict | None:
        for entry in self.outlets:
            if domain == entry["domain"] or domain.endswith("." + entry["domain"]):
                return entry
        return None

    def by_alias(self, line: str) -> dict | None:
        text = line.strip()
        for entry in self.outlets:
            if any(text == alias for alias in entry.get("aliases", [])) or text == entry["domain"]:
                return entry
        return None


@functools.lru_cache(maxsize=1)
def registry() -> Registry:
    data = yaml.safe_load(resources.files("newsfacts.data").joinpath("outlets.yaml").read_text("utf-8"))
    return Registry(outlets=tuple(data["outlets"]), wires=tuple(data["wires"]))


def registered_domain(url: str) -> str | None:
    parts = _EXTRACT(url)
    if not parts.domain or not parts.suffix:
        return None
    host = ".".join(p for p in (parts.subdomain, parts.domain, parts.suffix) if p)
    # news.sky.com and the like are registered under their own host in the registry.
    entry = registry().by_domain(host.removeprefix("www."))
    return entry["domain"] if entry else f"{parts.domain}.{parts.suffix}"


def outlet_from_domain(domain: str, method: str, evidence: Evidence) -> Outlet:
    entry = registry().by_domain(domain)
    if entry:
        return Outlet(name=entry["name"], domain=entry["domain"], country=entry.get("country"),
                      kind=entry.get("kind"), method=method, evidence=evidence)
    return Outlet(domain=domain, method=method, evidence=evidence)


def html_site_name(html: str) -> str | None:
    """The site name an HTML page declares (og:site_name, publisher metadata), read by trafilatura."""
    import trafilatura

    metadata = trafilatura.extract_metadata(html)
    name = metadata.sitename.strip() if metadata is not None and metadata.sitename else None
    return name or None


def find_outlet(clean: CleanDocument) -> Outlet:
    outlet = _find_outlet(clean)
    if clean.raw.format == "html" and outlet.name is None:
        # A page that names itself is better evidence than nothing; a registry entry, when there is one,
        # has already given the name.
        name = html_site_name(clean.raw.raw)
        if name:
            evidence = outlet.evidence or Evidence(where="html", text=name)
            outlet = outlet.model_copy(update={"name": name, "method": outlet.method or "html", "evidence": evidence})
    return outlet


def _find_outlet(clean: CleanDocument) -> Outlet:
    raw = clean.raw
    hints = raw.hints
    if hints.url:
        domain = registered_domain(hints.url)
        if domain:
            method = {"manifest": "manifest", "jsonl": "jsonl", "html": "html"}.get(hints.url_method or "", "url")
            return outlet_from_domain(domain, method, Evidence(where=method, text=hints.url))
    # A "Source: https://..." line (republished or syndicated copy names its page).
    for block in clean.removed:
        match = re.match(r"(?:source|nguồn|originally published (?:at|on)|read more at)\s*:?\s*(https?://\S+)",
                         block.text, re.IGNORECASE)
        if match:
            domain = registered_domain(match.group(1))
            if domain:
                start = block.start + match.start(1)
                return outlet_from_domain(domain, "text", evidence_in_raw(raw, start, start + len(match.group(1))))
    # The site signs its page: a footer line with its name or domain.
    for block in reversed(clean.removed):
        entry = registry().by_alias(block.text)
        if entry and entry.get("kind") != "agency":
            return Outlet(name=entry["name"], domain=entry["domain"], country=entry.get("country"),
                          kind=entry.get("kind"), method="registry", evidence=evidence_in_raw(raw, block.start, block.end))
    if hints.outlet:
        return Outlet(name=hints.outlet, method="manifest" if hints.url_method != "jsonl" else "jsonl",
                      evidence=Evidence(where="manifest", text=hints.outlet))
    return Outlet()
