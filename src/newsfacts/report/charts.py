"""Charts of the report as inline SVG strings, drawn with matplotlib (object API: no pyplot, no global state).

The SVG is deterministic (a fixed hash salt for element ids, no date in the metadata, text kept as text), so a
release that carries the report stays byte-identical between builds. Text stays text (`svg.fonttype: none`):
the charts are searchable and small, and the browser draws the letters.
"""

from __future__ import annotations

import io
import math
import re
from collections import Counter
from collections.abc import Sequence
from html import escape
from typing import Any

import matplotlib
import matplotlib.ticker
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

from newsfacts.report.data import EntityPair

_RC = {
    "svg.hashsalt": "newsfacts-report",
    "svg.fonttype": "none",
    "font.family": "DejaVu Sans",
    "font.size": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.titlesize": 10,
}
# Colour-blind-safe palette (Okabe & Ito), one colour per meaning across the report.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000"]
HEDGE_MARKERS = {None: "o", "exactly": "o", "about": "D", "nearly": "v", "up_to": "v", "at_most": "v",
                 "less_than": "v", "at_least": "^", "more_than": "^"}
MATCH_MARKERS = {"full": "o", "partial": "s", "variant": "D"}
TYPE_COLOURS = {"PERSON": PALETTE[0], "ORG": PALETTE[1], "PLACE": PALETTE[2], "NORP": PALETTE[3],
                "EVENT": PALETTE[4], "PRODUCT": PALETTE[5], "LAW": PALETTE[6], "WORK": PALETTE[7], "OTHER": "#999999"}
UNDATED = "undated"


def to_svg(figure: Figure, label: str) -> str:
    """The figure as an `<svg>` element for inline HTML, labelled for screen readers."""
    buffer = io.StringIO()
    with matplotlib.rc_context(_RC):
        FigureCanvasSVG(figure)
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]  # drop the XML declaration and DOCTYPE, which do not belong inside HTML
    return re.sub(r"^<svg\b", f'<svg role="img" aria-label="{escape(label)}"', svg, count=1)


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(_RC):
        return Figure(figsize=(width, height), layout="constrained")


def format_value(value: float | None) -> str:
    if value is None or math.isnan(value):
        return "–"
    magnitude = abs(value)
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m")):
        if magnitude >= size:
            return f"{value / size:,.3g}{suffix}"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"


def claim_chart(claim: dict[str, Any]) -> str:
    """Each member's value (a bar from value to value_max for a range), one column per report, in the claim's
    member order (date, outlet, article); marker shape = hedge, label = claimant."""
    members = claim["members"]
    with matplotlib.rc_context(_RC):
        figure = _figure(max(4.0, 1.2 * len(members) + 1.5), 3.0)
        axes = figure.add_subplot()
        for x, member in enumerate(members):
            low = member["value"]
            high = member["value_max"] if member["value_max"] is not None else low
            colour = PALETTE[0] if claim["status"] in {"agree", "range"} else PALETTE[3]
            if high != low:
                axes.vlines(x, low, high, colors=colour, linewidth=3, alpha=0.6)
            marker = HEDGE_MARKERS.get(member["hedge"], "o")
            axes.plot([x], [low], marker=marker, markersize=8, color=colour, linestyle="none",
                      markerfacecolor="white" if member["vague"] else colour)
            note = format_value(low) + (f"–{format_value(high)}" if high != low else "")
            if member["hedge"]:
                note = f"{member['hedge'].replace('_', ' ')} {note}"
            axes.annotate(note, (x, high), textcoords="offset points", xytext=(0, 8), ha="center", fontsize=8)
            if member["claimant"]:
                axes.annotate(_short(member["claimant"], 22), (x, low), textcoords="offset points",
                              xytext=(0, -16), ha="center", fontsize=7, color="#555555")
        axes.set_xticks(range(len(members)),
                        [f"{_short(m['outlet'] or 'unknown outlet', 18)}\n{m['date'] or UNDATED}" for m in members],
                        fontsize=7)
        axes.set_xlim(-0.6, len(members) - 0.4)
        top = max((m["value_max"] if m["value_max"] is not None else m["value"]) for m in members)
        bottom = min(m["value"] for m in members)
        pad = (top - bottom) * 0.35 or abs(top) * 0.25 or 1.0
        axes.set_ylim(min(0.0, bottom - pad) if bottom >= 0 else bottom - pad, top + pad)
        axes.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: format_value(v)))
        axes.set_ylabel(claim["unit"] or claim["kind"])
        axes.set_title(f"{_short(claim['statement'], 48)} ({claim['status']})", loc="left", fontsize=8)
    return to_svg(figure, f"Chart: {claim['statement']}, values by outlet and date ({claim['status']})")


def cluster_chart(cluster: dict[str, Any]) -> str:
    """Which outlet carried the statement when: outlets down, dates across; marker shape = how it was quoted."""
    members = cluster["members"]
    outlets = sorted({m["outlet"] or "unknown outlet" for m in members})
    dates = sorted({m["date"] for m in members if m["date"]}) + ([UNDATED] if any(not m["date"] for m in members) else [])
    with matplotlib.rc_context(_RC):
        figure = _figure(max(4.0, 1.1 * len(dates) + 2.5), max(1.8, 0.45 * len(outlets) + 1.2))
        axes = figure.add_subplot()
        for match, marker in MATCH_MARKERS.items():
            chosen = [m for m in members if m["match"] == match]
            if not chosen:
                continue
            axes.plot([dates.index(m["date"] or UNDATED) for m in chosen],
                      [outlets.index(m["outlet"] or "unknown outlet") for m in chosen],
                      marker=marker, markersize=9, linestyle="none", color=PALETTE[["full", "partial", "variant"].index(match)],
                      label=match)
        axes.set_xticks(range(len(dates)), dates, fontsize=7)
        axes.set_yticks(range(len(outlets)), [_short(o, 24) for o in outlets], fontsize=7)
        axes.set_xlim(-0.6, len(dates) - 0.4)
        axes.set_ylim(-0.6, len(outlets) - 0.4)
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=7, frameon=False)
        speaker = cluster["speaker"] or "unnamed speaker"
        axes.set_title(f"{_short(speaker, 24)}: “{_short(cluster['canonical'], 32)}”", loc="left", fontsize=8)
    return to_svg(figure, f"Chart: where and when {speaker}'s statement was quoted")


def network_chart(pairs: Sequence[EntityPair], types: dict[str, str]) -> str:
    """The entities of the top co-mention pairs on a circle; an edge's width is the number of articles naming
    both. A circle layout is deterministic and readable at this size (no force layout, no extra library)."""
    nodes = sorted(types, key=lambda entity_id: (types[entity_id], _name(pairs, entity_id)))
    place = {entity_id: (math.cos(2 * math.pi * i / len(nodes)), math.sin(2 * math.pi * i / len(nodes)))
             for i, entity_id in enumerate(nodes)}
    widest = max((p.articles for p in pairs), default=1)
    with matplotlib.rc_context(_RC):
        figure = _figure(7.0, 6.0)
        axes = figure.add_subplot()
        for pair in pairs:
            (x1, y1), (x2, y2) = place[pair.a_id], place[pair.b_id]
            axes.plot([x1, x2], [y1, y2], color="#888888", linewidth=0.5 + 3.5 * pair.articles / widest, alpha=0.6)
        for entity_id in nodes:
            x, y = place[entity_id]
            axes.plot([x], [y], marker="o", markersize=9, color=TYPE_COLOURS.get(types[entity_id], "#999999"))
            axes.annotate(_short(_name(pairs, entity_id), 24), (x, y), textcoords="offset points",
                          xytext=(10 * x, 10 * y), ha="left" if x >= 0 else "right", va="center", fontsize=8)
        for entity_type in sorted(set(types.values())):
            axes.plot([], [], marker="o", linestyle="none", color=TYPE_COLOURS.get(entity_type, "#999999"),
                      label=entity_type)
        if nodes:
            axes.legend(loc="lower left", bbox_to_anchor=(-0.05, -0.08), fontsize=7, frameon=False, ncol=4)
        axes.set_xlim(-1.9, 1.9)
        axes.set_ylim(-1.3, 1.3)
        axes.set_aspect("equal")
        axes.axis("off")
    return to_svg(figure, "Chart: network of the entities most often named together")


def errors_chart(articles_with_error: Counter[str]) -> str:
    """How many articles carry each kind of known error, most frequent first."""
    ranked = sorted(articles_with_error.items(), key=lambda item: (-item[1], item[0]))
    with matplotlib.rc_context(_RC):
        figure = _figure(6.0, max(1.5, 0.28 * len(ranked) + 0.8))
        axes = figure.add_subplot()
        axes.barh(range(len(ranked)), [n for _, n in ranked], color=PALETTE[3])
        axes.set_yticks(range(len(ranked)), [kind for kind, _ in ranked], fontsize=8)
        axes.invert_yaxis()
        axes.set_xlabel("articles")
        axes.xaxis.get_major_locator().set_params(integer=True)
        for y, (_, n) in enumerate(ranked):
            axes.annotate(str(n), (n, y), textcoords="offset points", xytext=(3, 0), va="center", fontsize=7)
    return to_svg(figure, "Chart: known errors by kind")


def _name(pairs: Sequence[EntityPair], entity_id: str) -> str:
    for pair in pairs:
        if pair.a_id == entity_id:
            return pair.a_name
        if pair.b_id == entity_id:
            return pair.b_name
    return entity_id


def _short(text: str, limit: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
