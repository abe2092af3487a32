"""``mml validate --mutate`` on the toy course: real mutants, real sandboxed grader."""

import ast
import re

import numpy as np
import pytest

from autograder.build import build
from autograder.course import load_course
from autograder.validate.mutate import _grade, _lost, generated_mutants, mutate, mutate_assignment
from autograder.validate.mutation_equiv import same, verdicts
from autograder.validate.mutation_ops import generate
from autograder.validate.specimens import reference_bodies

HIDDEN_NORM_TEST = """@case("q1", hidden=True)
def test_norm_random(norm):
    rng = np.random.default_rng(1)
    v = rng.normal(size=7)
    check_scalar(norm(v), np.linalg.norm(v), "norm(v)")
"""


def _fn(source: str) -> ast.FunctionDef:
    return ast.parse(source).body[0]


def test_operators_for_numerical_code():
    src = (
        "def f(X, w):\n"
        "    mu = np.mean(X, axis=0)\n"
        "    Y = X - mu\n"
        "    if w.size <= 3:\n"
        "        return Y.T @ w[1:]\n"
        "    return float(np.dot(X, w) / 2.0)\n"
    )
    bodies = {" | ".join(m.body()) for m in generate(_fn(src))}
    ops = {m.operator for m in generate(_fn(src))}

    def has(text):
        return any(text in b for b in bodies)

    assert has("np.mean(X, axis=1)") and has("np.mean(X)")  # axis changed, removed
    assert has("X -= mu | Y = X")  # an in-place change of the input
    assert has("X + mu") and has("/ 3.0") and has("* 2.0")  # arithmetic, constants
    assert has("w.size < 3")  # comparison boundary
    assert has("return Y @ w[1:]") and has("Y.T @ w[1:].T")  # transpose removed, added
    assert has("return int(float(") and has("return round(float(")
    assert has("np.dot(w, X)") and has("np.dot(mu, w)")  # arguments swapped, replaced
    assert has("w[2:]") and has("w[1:-1]")  # slice bounds shifted
    assert has("Y = w - mu") and has("np.mean(X)")  # a parameter for another, keyword dropped
    assert has("mu = int(np.mean(X, axis=0))") and has("| pass |")  # int() value, deletion
    assert "return the argument X" in ops and has("return X")
    reference = "mu = np.mean(X, axis=0) | Y = X - mu | if w.size <= 3: | "
    reference += "    return Y.T @ w[1:] | return float(np.dot(X, w) / 2.0)"
    assert reference not in bodies and len(bodies) == len(generate(_fn(src)))


def test_sameness_has_tolerance_and_types():
    assert same((np.ones(3), 2.0), (np.ones(3) + 1e-12, 2.0))
    assert not same(np.ones(3), np.ones((3, 1)))
    assert not same(2.5, 2)  # int() around a float result is never equivalent
    assert not same(np.ones(2), np.ones(2) * 1.001)
    assert same("saddle", "saddle") and not same("saddle", "flat")


def test_equivalent_different_and_hanging_mutants(toy):
    a = load_course(toy).assignment("vectors")
    rewritten = "def norm(v):\n    return float(np.linalg.norm(np.ravel(v)))\n"
    cubed = "def norm(v):\n    return float(np.sum(np.abs(np.asarray(v)) ** 3) ** (1 / 3))\n"
    shared = "def unit(v):\n    v = np.asarray(v, dtype=float)\n    v /= norm(v)\n    return v\n"
    hangs = "def norm(v):\n    while True:\n        pass\n"
    found = verdicts(
        a, [("norm", rewritten), ("norm", cubed), ("unit", shared), ("norm", hangs)], 2
    )
    # unit dividing its input in place: same result, but the caller's array changed
    assert found == ["equivalent", "different", "different", "hangs"]


def _run(root, min_score=None):
    lines: list[str] = []
    code = mutate(load_course(root), None, root / "dist", min_score, 2, echo=lines.append)
    return code, "\n".join(lines)


@pytest.mark.slow
def test_mutate_toy_course_then_a_weaker_hidden_test(toy):
    code, out = _run(toy, min_score=100)
    assert "vectors hand-written mutants/: 2 of 2 killed" in out
    row = re.search(r"vectors \(all\)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)\s+([\d.]+)%", out)
    generated, killed, equivalent, survived, accepted, score = row.groups()
    assert int(generated) == int(killed) + int(equivalent) + int(survived) + int(accepted)
    assert int(killed) > 5
    q1 = re.search(r"vectors q1\s+\d+\s+\d+\s+\d+\s+(\d+)", out)
    assert q1.group(1) == "0", out  # the hidden random test kills every mutant of norm
    assert (toy / "dist" / ".mutate-cache" / "vectors.json").exists()

    # An unchanged rerun grades nothing: every verdict comes from the cache.
    course = load_course(toy)
    a = course.assignment("vectors")
    (built,) = build(course, None, toy / "dist", echo=lambda *a, **k: None)
    r = mutate_assignment(a, built, course, toy / "dist" / ".mutate-cache", 2)
    assert r.graded == 0 and len(r.outcomes) == int(generated)

    # The equivalent ones keep full marks when graded: writing a mutant in costs no points.
    mutants = generated_mutants(a)
    found = verdicts(a, [(m.function, m.source) for m in mutants], 2)
    same_mutants = [m for m, v in zip(mutants, found, strict=True) if v == "equivalent"]
    assert len(same_mutants) == int(equivalent) >= 1
    ref = reference_bodies(a)
    graded = _grade(
        a, built, {m.id: {**ref, m.function: m.body()} for m in same_mutants}, 2, course
    )
    assert all(_lost(a, graded[m.id]) == [] for m in same_mutants), graded

    # Without the hidden test of norm, some wrong norms get full marks: they are reported as
    # survivors of q1, with a diff, and --min-score fails.
    tests = a.tests_file.read_text()
    assert HIDDEN_NORM_TEST in tests
    a.tests_file.write_text(tests.replace(HIDDEN_NORM_TEST, ""))
    code, out = _run(toy, min_score=95)
    assert code == 1, out
    assert re.search(r"SURVIVED norm-[0-9a-f]{8} \[.*\]: should fail q1", out), out
    assert "--- reference" in out and "+++ mutant" in out
    assert "mml validate --mutate: FAILED for vectors" in out
