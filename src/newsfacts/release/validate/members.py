"""Join checks of the cross-document configs: every member of a claim or quote cluster is a real row of
`figures` or `quotes`, and says the same text.

The members are collected first (a release has far fewer members than rows), then each `figures` or `quotes`
row is matched against them as it streams by; what no row matched is reported at the end. What is held is
counted against validate's limit: past it, the remaining members are reported as not joined (`limit`)."""

from __future__ import annotations

from typing import Any

from newsfacts.release.validate.problems import Problem
from newsfacts.release.validate.spans import row_label

# config -> (the config its members point into, the member's index field)
MEMBER_TARGETS = {"claims": ("figures", "figure_index"), "quote_clusters": ("quotes", "quote_index")}
REFERENCE_BYTES = 400  # about what one held member takes besides its text and row id


class MemberReferences:
    """The members of the cross-document configs, waiting for the rows they point to."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.held = 0
        # target config -> (article_id, index) -> [(file, row id, member pointer, index field, member text)]
        self.pending: dict[str, dict[tuple[Any, Any], list[tuple[str, str, str, str, Any]]]] = {
            target: {} for target, _ in MEMBER_TARGETS.values()}
        self._last_id: dict[str, str] = {}
        self._full: set[str] = set()

    def add(self, config: str, file: str, row: dict[str, Any], number: int) -> list[Problem]:
        """Note the members of one row of `config` (its rows come in id order: ids are unique and increasing)."""
        target, index_field = MEMBER_TARGETS[config]
        row_id = row_label(config, row, number)
        problems = []
        last = self._last_id.get(config)
        if isinstance(row.get("id"), str):
            if last is not None and row_id <= last:
                message = "id is not unique" if row_id == last else f"id is not unique or out of order (after {last!r})"
                problems.append(Problem(file, row_id, "/id", "unique", message))
            self._last_id[config] = row_id
        members = row.get("members")
        for i, member in enumerate(members if isinstance(members, list) else []):
            if not isinstance(member, dict) or config in self._full:
                continue
            text = member.get("text")
            self.held += REFERENCE_BYTES + len(row_id) + (len(text) if isinstance(text, str) else 0)
            if self.held > self.limit:
                self._full.add(config)
                problems.append(Problem(file, row_id, f"/members/{i}", "limit",
                                        f"the members of {config} take more than validate's limit of {self.limit} "
                                        f"bytes held at once; from this one on they are not joined"))
                continue
            key = (member.get("article_id"), member.get(index_field))
            self.pending[target].setdefault(key, []).append((file, row_id, f"/members/{i}", index_field, text))
        return problems

    def see(self, target: str, row: dict[str, Any]) -> list[Problem]:
        """A row of `figures` or `quotes`: the members pointing to it must say its text."""
        key = (row.get("article_id"), row.get("index"))
        problems = []
        for file, row_id, pointer, _, text in self.pending[target].pop(key, []):
            if row.get("text") != text:
                problems.append(Problem(file, row_id, f"{pointer}/text", "join",
                                        f"{target} row {key[0]}/{key[1]} has text {row.get('text')!r}, "
                                        f"member says {text!r}"[:500]))
        return problems

    def unmatched(self, target: str) -> list[Problem]:
        """The members no row of `target` matched (once every row of it has been seen)."""
        return [Problem(file, row_id, f"{pointer}/{index_field}", "join",
                        f"no {target} row with article_id {key[0]!r} and index {key[1]!r}")
                for key, members in self.pending[target].items()
                for file, row_id, pointer, index_field, _ in members]
