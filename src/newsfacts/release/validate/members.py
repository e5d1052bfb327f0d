"""Join checks of the cross-document configs: every member of a claim or quote cluster is a real row of
`figures` or `quotes`, and says the same text."""

from __future__ import annotations

from typing import Any

from newsfacts.release.validate.problems import Problem
from newsfacts.release.validate.spans import row_label
from newsfacts.release.write import parquet_path

# config -> (the config its members point into, the member's index field)
MEMBER_TARGETS = {"claims": ("figures", "figure_index"), "quote_clusters": ("quotes", "quote_index")}


def check_members(tables: dict[str, list[dict[str, Any]]]) -> list[Problem]:
    problems: list[Problem] = []
    for config, (target, index_field) in MEMBER_TARGETS.items():
        if config not in tables or target not in tables:
            continue  # unreadable or of another shape: reported as such, nothing to join
        file = parquet_path(config)
        items = {(row.get("article_id"), row.get("index")): row.get("text") for row in tables[target]}
        seen: set[str] = set()
        for number, row in enumerate(tables[config]):
            row_id = row_label(config, row, number)
            if row_id in seen:
                problems.append(Problem(file, row_id, "/id", "unique", "id is not unique"))
            seen.add(row_id)
            members = row.get("members")
            for i, member in enumerate(members if isinstance(members, list) else []):
                if not isinstance(member, dict):
                    continue
                key = (member.get("article_id"), member.get(index_field))
                pointer = f"/members/{i}"
                if key not in items:
                    problems.append(Problem(file, row_id, f"{pointer}/{index_field}", "join",
                                            f"no {target} row with article_id {key[0]!r} and index {key[1]!r}"))
                elif items[key] != member.get("text"):
                    problems.append(Problem(file, row_id, f"{pointer}/text", "join",
                                            f"{target} row {key[0]}/{key[1]} has text {items[key]!r}, "
                                            f"member says {member.get('text')!r}"[:500]))
    return problems
