"""Hand-cleaned seed texts for the entity gold: which raw lines are the article (title, then body).

The choice of lines is the annotator's judgment, written down so it can be re-checked against seeds/:
each seed keeps its title line and its body paragraphs; captions, bylines, credits, related links,
consent banners, reference lists and comment widgets are left out. Lines are kept verbatim (typos such
as "withUkraine" included: they are real input). Output: texts/seed-NNN.txt (title + blank line + body).
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent
SEEDS = HERE.parents[2] / "seeds"

# seed file -> (title line or None, body lines by their first words, in order)
SELECTION = {
    "000_1bf7e7c3ea9bf00a.txt": (None, [
        "Many countries have expressed concern",
        "On October 25, the White House said",
        "US National Security Council spokesman",
        "On the same day, Germany also warned",
        "“We call on the North Korean side",
        "In that context, also on October 25",
        "“The figures on mutual assistance",
        "Russian President Vladimir Putin made",
    ]),
    "001_92b92d905993b2f4.txt": ("US, Japan, and South Korea express grave concern", [
        "WASHINGTON, United States—",
        "Following a meeting in Washington",
        "Germany Warns of Escalation",
        "Chancellor Olaf Scholz",
        "Pyongyang's Defense of Troop Deployment",
        "In a rare statement",
        "Ukraine’s Call for Global Action",
        "Ukrainian President Volodymyr Zelensky",
        "South Korea’s foreign ministry condemned",
        "The escalation of military cooperation",
    ]),
    "002_e1051f1770704682.txt": ("Russia ready to arm North Korea", [
        "The US State Department is concerned",
        "The United States is concerned",
        "Speaking in Vietnam on Thursday",
        "A spokesperson for the US State Department",
        "– It could destabilize",
        "The West accused North Korea",
        "Russia, on the other hand",
        "Putin And Kim signed",
        "South Korea is reconsidering its position",
        "In Vietnam on Thursday",
        "South Korea has a long-standing policy",
        "South Korea’s National Security Adviser",
        "– We are going to review",
        "Miller says, “Each country",
        "– We welcome all support",
    ]),
    "003_eb43e97f5552c795.txt": ("Russia Rejects Claims of North Korean Troop Deployment", [
        "Moscow, October 21, 2024",
        "We believe that this information",
        "The initialclaims were made",
        "Ukraine has also corroborated",
        "However, both NATO",
        "The Russian Embassy in Seoul",
        "This development comes amidst",
        "The alleged deployment of North Korean troops to Russia, if confirmed",
    ]),
    "004_a349b1ab514efdb2.txt": ("N.Korea sending troops to Ukraine", [
        "BRUSSELS: If North Korea",
        "Rutte said he spoke",
        "\"North Korea sending troops",
        "Seoul's spy agency said on Friday",
        "The agency estimated",
        "Pyongyang and Moscow have been allies",
        "They have drawn even closer",
        "Meanwhile, South Korea summoned",
        "About 1,500 North Korean",
        "South Korea has long claimed",
        "Seoul expressed its",
        "Seoul's spy agency released",
        "The move \"poses",
        "Both North Korea and Russia",
        "Russian ambassador Zinovyev",
    ]),
}


def pick(lines: list[str], prefix: str) -> str:
    found = [line for line in lines if line.startswith(prefix)]
    if len(found) < 1:
        raise ValueError(f"no line starts with {prefix!r}")
    return found[0].strip()  # duplicated captions repeat lines: the first copy is the one in place


def seed_text(name: str) -> str:
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    title_prefix, body_prefixes = SELECTION[name]
    parts = ([pick(lines, title_prefix)] if title_prefix else []) + [pick(lines, p) for p in body_prefixes]
    return "\n\n".join(parts)


if __name__ == "__main__":
    out = HERE / "texts"
    out.mkdir(exist_ok=True)
    for name in SELECTION:
        (out / f"seed-{name[:3]}.txt").write_text(seed_text(name), encoding="utf-8")
