"""The leak check: nothing hidden (tests, reference code, markers) in what students get."""

import json
import re
from pathlib import Path

from ..build import Built
from ..course import Assignment, Course
from ..course.cases import load_test_cases
from .specimens import reference_bodies
from .table import Row

LEAK_MARKERS = ("# HIDDEN", "BEGIN SOLUTION", "END SOLUTION", "BEGIN TESTS", "hidden=True")


def _strings(node) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for v in node.values() for s in _strings(v)]
    if isinstance(node, list):
        return [s for v in node for s in _strings(v)]
    return []


def _student_text(folder: Path) -> str:
    texts = []
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        raw = p.read_bytes().decode("utf-8", errors="replace")
        texts.append(raw)
        if p.suffix == ".ipynb":
            texts += _strings(json.loads(raw))
    return "\n".join(texts)


def _distinctive(lines, common: set[str]) -> set[str]:
    out = set()
    for line in lines:
        s = line.strip()
        if len(s) >= 24 and s not in common and not s.startswith(("#", '"', "'")):
            out.add(s)
    return out


def check_leaks(a: Assignment, built: Built, course: Course | None = None) -> Row:
    """No hidden test, no reference solution code and no hidden marker in what students get.

    With ``course``, the student folder is also searched for the reference code of every other
    assignment (a later notebook must not give away an earlier answer), except the functions
    that ``a.reveals`` names on purpose.
    """
    text = _student_text(built.student_dir)
    lines = {line.strip() for line in text.splitlines()}
    problems = [m for m in LEAK_MARKERS if m in text]
    cases = load_test_cases(a.tests_file)
    public = _public_lines(cases)
    template = _lines(a.template)
    for c in cases:
        if c.hidden and re.search(rf"\bdef {re.escape(c.name)}\b", text):
            problems.append(f"hidden test {c.name}")
    for c in (c for c in cases if c.hidden):
        leaked = _distinctive(c.source.splitlines(), public | template) & lines
        problems += [f"hidden test line {s!r}" for s in leaked]
    for name, body in reference_bodies(a).items():
        leaked = _distinctive(body, template | public) & lines
        problems += [f"solution line of {name}: {s!r}" for s in leaked]
    for other in course.assignments if course else []:
        if other.slug == a.slug:
            continue
        # What the other assignment's own students see anyway is not a secret.
        seen = _lines(other.template) | _public_lines(load_test_cases(other.tests_file))
        for name, body in reference_bodies(other).items():
            if name in a.reveals.get(other.slug, []):
                continue
            distinctive = _distinctive(body, seen)
            leaked = distinctive & lines
            # One shared line can be a coincidence; most of a body is a give-away.
            if len(leaked) >= 2 and 2 * len(leaked) >= len(distinctive):
                problems.append(f"{other.slug}'s solution of {name} ({len(leaked)} lines)")
    if problems:
        return Row(a.slug, "leaks", "; ".join(sorted(set(problems))[:5]), False)
    return Row(a.slug, "leaks", "none under student/", True)


def _lines(path: Path) -> set[str]:
    return {line.strip() for line in path.read_text().splitlines()}


def _public_lines(cases) -> set[str]:
    return {line.strip() for c in cases if not c.hidden for line in c.source.splitlines()}
