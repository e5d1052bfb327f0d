"""A faster matcher for the model's attribute ruler, with the same matches.

The attribute ruler of `en_core_web_sm` (tag map, morphology and lemma exceptions: 179 rules) runs spaCy's
general `Matcher`, which tries every rule's state machine at every token: a tenth of the whole model's time
on news text. Its rules are simple (one or two tokens; each token an exact value, a list of values or a
regular expression of TAG, LOWER, DEP or IS_SPACE), so they can be looked up by value instead. The ruler
sorts its matches by rule before applying them, so only the set of matches counts: this finds exactly the
spans the `Matcher` finds, and the ruler then sets the attributes as it always does.

A ruler with any other kind of rule (another attribute, an operator) keeps its own matcher.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from spacy import attrs
from spacy.tokens import Doc

# The token attributes a rule may test here, in the order a token's values are read (`Doc.to_array`).
_FIELDS = ("TAG", "LOWER", "DEP", "IS_SPACE")
_ATTRIBUTE_IDS = [getattr(attrs, name) for name in _FIELDS]

TokenTest = Callable[[list[int]], bool]


class UnsupportedRule(ValueError):
    pass


class _Values:
    """Rule values as the ids `Doc.to_array` gives (string hashes; 0 and 1 for IS_SPACE)."""

    def __init__(self, strings) -> None:
        self.strings = strings

    def id(self, attribute: str, value: Any) -> int:
        if attribute == "IS_SPACE":
            if not isinstance(value, bool):
                raise UnsupportedRule(f"{attribute}: {value!r}")
            return int(value)
        if not isinstance(value, str):
            raise UnsupportedRule(f"{attribute}: {value!r}")
        return self.strings.add(value)

    def test(self, attribute: str, value: Any) -> tuple[Callable[[int], bool], frozenset[int] | None]:
        """A test of one attribute's id, and the ids it accepts when they are a finite set (to index by)."""
        if not isinstance(value, dict):
            wanted = self.id(attribute, value)
            return (lambda seen: seen == wanted), frozenset({wanted})
        if len(value) == 1:
            (operator, argument), = value.items()
            if operator == "IN" and isinstance(argument, list):
                allowed = frozenset(self.id(attribute, v) for v in argument)
                return (lambda seen: seen in allowed), allowed
            if operator == "NOT_IN" and isinstance(argument, list):
                refused = frozenset(self.id(attribute, v) for v in argument)
                return (lambda seen: seen not in refused), None
            if operator == "REGEX" and isinstance(argument, str) and attribute != "IS_SPACE":
                pattern, strings = re.compile(argument), self.strings
                return (lambda seen: pattern.search(strings[seen]) is not None), None
        raise UnsupportedRule(f"{attribute}: {value!r}")


class AttributeRuleMatcher:
    """The matches of an `AttributeRuler`'s rules in a Doc, as its `match` returns them."""

    def __init__(self, ruler) -> None:
        values = _Values(ruler.vocab.strings)
        # (field, value id) -> rules whose first token needs that value: a rule is only tried at tokens that
        # have it. Rules whose first token has no finite set of values are tried everywhere.
        self.anchored: dict[tuple[int, int], list] = {}
        self.anywhere: list = []
        for number in range(len(ruler.attrs)):
            match_id = ruler.vocab.strings[str(number)]
            found = ruler.matcher.get(match_id)
            if found is None:
                continue
            for pattern in found[1]:
                if not pattern or any(not isinstance(spec, dict) or not spec for spec in pattern):
                    raise UnsupportedRule(repr(pattern))
                tests, anchors = [], []
                for k, spec in enumerate(pattern):
                    token_tests = []
                    for attribute, value in spec.items():
                        if attribute not in _FIELDS:
                            raise UnsupportedRule(attribute)
                        test, accepted = values.test(attribute, value)
                        field = _FIELDS.index(attribute)
                        token_tests.append((field, test))
                        if k == 0 and accepted is not None:
                            anchors.append((len(accepted), field, accepted))
                    tests.append(tuple(token_tests))
                rule = (number, match_id, tuple(tests))
                if anchors:
                    _, field, accepted = min(anchors, key=lambda a: (a[0], -a[1]))
                    if len(pattern) == 1 and len(pattern[0]) == 1:
                        rule = (number, match_id, None)  # the anchor is the whole rule: no test left
                    for value in accepted:
                        self.anchored.setdefault((field, value), []).append(rule)
                else:
                    self.anywhere.append(rule)
        # per field, value id -> rules
        self.tables = [(field, table) for field in range(len(_FIELDS))
                       if (table := {value: rules for (f, value), rules in self.anchored.items() if f == field})]

    def match(self, doc: Doc) -> list[tuple[int, int, int, int]]:
        tokens = doc.to_array(_ATTRIBUTE_IDS).tolist() if len(doc) else []
        found = set()
        for start, fields in enumerate(tokens):
            candidates = list(self.anywhere)
            for field, table in self.tables:
                rules = table.get(fields[field])
                if rules:
                    candidates.extend(rules)
            for number, match_id, tests in candidates:
                if tests is None:
                    found.add((number, match_id, start, start + 1))
                    continue
                end = start + len(tests)
                if end <= len(tokens) and all(test(tokens[start + k][field])
                                              for k, token_tests in enumerate(tests) for field, test in token_tests):
                    found.add((number, match_id, start, end))
        return sorted(found)


def speed_up_attribute_ruler(nlp) -> bool:
    """Give the pipeline's attribute ruler the faster matcher when all its rules allow it; say whether it did."""
    if "attribute_ruler" not in nlp.component_names:
        return False
    ruler = nlp.get_pipe("attribute_ruler")
    try:
        matcher = AttributeRuleMatcher(ruler)
    except UnsupportedRule:
        return False
    ruler.match = matcher.match  # the ruler's __call__ applies what `match` returns
    return True
