"""What `validate` reports: one problem per broken rule, naming the file, the row, the JSON pointer and the rule."""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    row: str
    pointer: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: row {self.row}: {self.pointer or '/'}: [{self.rule}] {self.message}"


def problems_as_json(problems: list[Problem]) -> str:
    return json.dumps([p.__dict__ for p in problems], indent=2)
