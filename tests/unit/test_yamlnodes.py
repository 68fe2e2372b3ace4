"""The fast paths of tracker.plan.yamlnodes answer exactly what the plain ones did."""

from __future__ import annotations

import random

import pytest
import yaml

from tracker.plan.yamlnodes import MAX_DEPTH, _may_nest_deeply, _PlanLoader

PLAIN = [
    "", "~", "null", "Null", "NULL", "n", "no", "No", "y", "yes", "on", "off", "true", "True",
    "FALSE", "1", "-1", "+1", "0x1F", "0o17", "017", "1_000", "1.5", ".5", "-.inf", ".NaN",
    "1e3", "1.0e+3", "2018-01-01", "2018-1-1", "2018-01-01T10:00:00Z", "12:30", "190:20:30",
    "<<", "=", "abc", "Tarea 1.5", "Área", "0b101", "-", "+", "1:20", "3.5.2-P1",
]  # fmt: skip


def _tags(loader: type[yaml.CSafeLoader], text: str) -> list[str]:
    composer = loader(text)
    try:
        root = composer.get_single_node()
    finally:
        composer.dispose()
    tags: list[str] = []

    def walk(node: yaml.Node) -> None:
        tags.append(node.tag)
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                walk(child)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(key)
                walk(value)

    walk(root)
    return tags


@pytest.mark.parametrize("repeat", [1, 2])  # the second pass answers from the memo
def test_plan_loader_resolves_tags_as_pyyaml_does(repeat: int) -> None:
    listed = "\n".join(f"- {value}" for value in PLAIN) + "\n- '!'\n- \"7\"\n- !!str 7\n"
    mapped = "{" + ", ".join(f"k{i}: {v}" for i, v in enumerate(PLAIN) if v not in ("", "-")) + "}"
    for text in (listed, mapped, "a: [1, {b: no}, [~, 2018-01-01]]\n"):
        for _ in range(repeat):
            assert _tags(_PlanLoader, text) == _tags(yaml.CSafeLoader, text)


def _nests_deeply(text: str) -> bool:
    """The suspicion as first written: count every bracket, one by one."""
    depth = 0
    for char in text:
        if char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif char in "]}" and depth:
            depth -= 1
    return False


def test_nesting_suspicion_matches_counting_every_bracket() -> None:
    rng = random.Random(7)
    cases = [
        "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1),
        "[" * MAX_DEPTH + "]" * MAX_DEPTH + "[]" * 10,
        "]]]" + "[" * (MAX_DEPTH + 1),
        "{a: " * MAX_DEPTH + "}" * MAX_DEPTH + "[" * 10,
        "x" + "[" * 30 + "]" * 40 + "[" * 40,
        "- {id: a, depends_on: [b, {id: c}]}\n" * 200,
    ]
    for _ in range(2000):
        length = rng.choice([70, 150, 400])
        alphabet = rng.choice(["[]{}x", "[[[{{]]}x", "[]"])
        cases.append("".join(rng.choice(alphabet) for _ in range(length)))
    for text in cases:
        if text.count("[") + text.count("{") > MAX_DEPTH:
            assert _may_nest_deeply(text) == _nests_deeply(text), text
