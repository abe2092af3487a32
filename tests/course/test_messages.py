"""Every public failure message names the function, shows no test internals, says knock-ons.

Each hand-written mutant and a set of typical wrong answers (a raised shape error, `None`
returned, integer division, `(D, 1)` columns rejected) run through the PUBLIC tests of every
assignment with the in-process local engine; every message of a failed public case is read.
"""

import contextlib
import html
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

from autograder.course import Assignment, load_course
from autograder.course.template import read_solution
from autograder.validate import _local_sources
from autograder.validate.local_engine import render_test_files, run_cells
from autograder.validate.specimens import mutant_bodies, reference_bodies

ROOT = Path(__file__).resolve().parents[2]
COURSE = load_course(ROOT)
SLUGS = [a.slug for a in COURSE.assignments]

# Later questions whose public tests say so when an earlier function they use fails: for each
# (slug, question) the earlier questions whose functions the notebook asks it to use.
KNOCK_ON = {
    ("reflecting-bear", "q2"): ["q1"],
    ("pca", "q4"): ["q1", "q2", "q3"],
    ("pca", "q5"): ["q1", "q2", "q3"],
    ("backpropagation", "q2"): ["q1"],
    ("backpropagation", "q3"): ["q1"],
    ("backpropagation", "q4"): ["q1"],
    ("heights", "q3"): ["q1", "q2"],
    ("heights", "q4"): ["q3"],
    ("gram-schmidt", "q3"): ["q2"],
    ("sandpit", "q3"): ["q2"],
    ("sandpit-2", "q3"): ["q1", "q2"],
}

# Functions whose notebook promises that vectors may come as (D,) or (D, 1).
COLUMN_CONVENTION = {
    "distances-angles": ["distance", "angle"],
    "projections": ["projection_matrix_1d", "project_1d", "project_general"],
}

SHAPE_ERROR = ["return np.ones(3) @ np.ones(2)"]
NONE = ["return None"]


@dataclass(frozen=True)
class Failure:
    """One failed public test case of one wrong answer."""

    variant: str
    question: str
    message: str


def _rejects_columns(params: list[str], body: list[str]) -> list[str]:
    """The reference body behind a guard that breaks, as `x @ x` does, on a (D, 1) column."""
    guard = [
        f"for _v in ({', '.join(params)},):",
        "    if np.ndim(_v) == 2 and np.shape(_v)[1] == 1:",
        "        np.asarray(_v) @ np.asarray(_v)",
    ]
    return guard + body


def variants(a: Assignment) -> dict[str, dict[str, list[str]]]:
    """Wrong answers, each as the bodies of every graded function (the reference elsewhere)."""
    reference = reference_bodies(a)
    solution = read_solution(a.solution_file)
    out = {f"mutant {name}": bodies for name, bodies in mutant_bodies(a).items()}
    for f in a.graded_functions:
        out[f"{f} raises a shape error"] = {**reference, f: SHAPE_ERROR}
        out[f"{f} returns None"] = {**reference, f: NONE}
        body = reference[f]
        if any(" / " in line for line in body):
            out[f"{f} divides with //"] = {
                **reference,
                f: [line.replace(" / ", " // ") for line in body],
            }
        if f in COLUMN_CONVENTION.get(a.slug, []):
            params = [p.arg for p in solution.functions[f].args.args]
            out[f"{f} rejects (D, 1) columns"] = {**reference, f: _rejects_columns(params, body)}
    return out


def _run_variants(a: Assignment, runs: dict[str, dict[str, list[str]]]):
    """Each run's notebook namespace: the notebook is run once with the reference, then only
    the cells that define graded functions are run again, with the run's bodies, in a copy."""
    reference = reference_bodies(a)
    sources = _local_sources(a, reference)
    blank = _local_sources(a, None)
    graded = [k for k, (filled, stub) in enumerate(zip(sources, blank)) if filled != stub]
    base, _ = run_cells(sources, a.template_dir)
    for label, bodies in runs.items():
        cells = _local_sources(a, bodies)
        namespace = dict(base)
        for k in graded:
            with contextlib.redirect_stdout(io.StringIO()):
                exec(compile(cells[k], f"<cell {k}>", "exec"), namespace)
        yield label, namespace


@cache
def public_failures(slug: str) -> tuple[Failure, ...]:
    """Run every wrong answer through the public tests of ``slug``; every failed case."""
    from otter.test_files.exception_test import ExceptionTestFile

    a = COURSE.assignment(slug)
    files = {
        q: ExceptionTestFile.from_string(text, path=f"{q}.py")
        for q, text in render_test_files(a, hidden=False).items()
    }
    found = []
    for label, namespace in _run_variants(a, variants(a)):
        for q, tf in files.items():
            tf.run(namespace)
            found += [Failure(label, q, r.message) for r in tf.test_case_results if not r.passed]
    return tuple(found)


def _exception_text(message: str) -> str:
    """What the test raised: Otter's message is a header, the failing line, then `Type: text`."""
    lines = message.splitlines()
    assert len(lines) >= 4 and lines[1].startswith("Error at line"), message
    return "\n".join(lines[3:])


def _functions(a: Assignment, question: str) -> list[str]:
    return next(q.functions for q in a.questions if q.name == question)


@pytest.mark.parametrize("slug", SLUGS)
def test_every_public_failure_names_the_function_without_internals(slug):
    a = COURSE.assignment(slug)
    failures = public_failures(slug)
    assert failures, "the wrong answers should fail some public tests"
    bad = []
    for f in failures:
        text = _exception_text(f.message)
        names = _functions(a, f.question)
        problems = []
        if not text.startswith("AssertionError: "):
            problems.append("a raw exception, not a sentence of the checks")
        if not any(re.search(rf"\b{re.escape(n)}\b", text) for n in names):
            problems.append(f"does not name {' or '.join(names)}")
        if "Traceback" in text or re.search(r'File ".*", line \d+', text):
            problems.append("shows a traceback")
        if problems:
            bad.append(f"{f.variant} / {f.question}: {'; '.join(problems)}:\n{text}")
    assert not bad, "\n\n".join(bad)


@pytest.mark.parametrize("slug", SLUGS)
def test_a_raising_function_is_reported_with_its_call(slug):
    """The shape error each graded function raises is shown with the call and its arguments."""
    a = COURSE.assignment(slug)
    failures = public_failures(slug)
    for q in a.questions:
        for f in q.functions:
            mine = [x for x in failures if x.variant == f"{f} raises a shape error"]
            texts = [_exception_text(x.message) for x in mine if x.question == q.name]
            assert texts, f"a {f} that raises passes every public test of {q.name}"
            shown = rf"{f}\([^)]*\)( raised| .* should raise \w+, but it raised) ValueError: matmul"
            assert any(re.search(shown, t) for t in texts), texts


@pytest.mark.parametrize("slug", sorted(COLUMN_CONVENTION))
def test_rejected_columns_get_the_notebook_convention(slug):
    failures = public_failures(slug)
    for f in COLUMN_CONVENTION[slug]:
        mine = [x for x in failures if x.variant == f"{f} rejects (D, 1) columns"]
        assert mine, f"a {f} that rejects (D, 1) columns passes every public test"
        for x in mine:
            text = _exception_text(x.message)
            assert "(shape (3, 1), float64)" in text, text
            assert "vectors of shape (D, 1) work as well as (D,)" in text, text


@pytest.mark.parametrize("slug, later", sorted(KNOCK_ON))
def test_knock_on_failures_send_the_student_to_the_earlier_question(slug, later):
    """A wrong earlier function that fails its own public tests is named in the later message."""
    a = COURSE.assignment(slug)
    failures = public_failures(slug)
    seen = 0
    for earlier in KNOCK_ON[slug, later]:
        for f in _functions(a, earlier):
            for kind in ("raises a shape error", "returns None"):
                variant = f"{f} {kind}"
                assert any(x.question == earlier for x in failures if x.variant == variant)
                for x in failures:
                    if x.variant == variant and x.question == later:
                        seen += 1
                        hint = f"this uses your `{f}` ({earlier}), which fails its checks: fix"
                        assert hint in x.message, x.message
    assert seen, f"no wrong earlier function made {slug} {later} fail"


def test_a_question_with_two_functions_reports_both():
    """J_W3 and J_b3 both wrong: the one public case of q2 names both, not the first only."""
    a = COURSE.assignment("backpropagation")
    bodies = {**reference_bodies(a), "J_W3": SHAPE_ERROR, "J_b3": NONE}
    files = render_test_files(a, hidden=False)
    from otter.test_files.exception_test import ExceptionTestFile

    namespace, _ = run_cells(_local_sources(a, bodies), a.template_dir)
    tf = ExceptionTestFile.from_string(files["q2"], path="q2.py")
    tf.run(namespace)
    (message,) = [r.message for r in tf.test_case_results if not r.passed]
    assert "J_W3(x, y, params) raised ValueError" in message
    assert "J_b3(x, y, params) (a fixed network, N = 4) is None" in message


@pytest.mark.slow
def test_the_same_sentences_in_grader_check_mml_check_and_mml_grade(tmp_path):
    """A built notebook whose q1 function raises: the call's sentence and the knock-on sentence
    of q2 reach the notebook's `grader.check`, `mml check` and `mml grade`'s feedback."""
    import nbformat

    from autograder.build import build_one
    from autograder.check import check_notebook
    from autograder.grade import grade
    from autograder.grade.load import preimports
    from autograder.kernel import notebook_client
    from autograder.validate.specimens import fill

    a = COURSE.assignment("reflecting-bear")
    build_one(COURSE, a, tmp_path / "dist")
    built = tmp_path / "dist" / a.slug
    student = built / "student" / f"{a.slug}.ipynb"
    folder = tmp_path / "ada"
    folder.mkdir()
    for p in (built / "student").iterdir():
        if p.is_file() and p.suffix != ".ipynb":
            (folder / p.name).write_bytes(p.read_bytes())
    bodies = {**reference_bodies(a), "build_reflection_matrix": SHAPE_ERROR}
    nb = fill(nbformat.read(student, as_version=4), bodies)
    path = folder / f"{a.slug}.ipynb"
    nbformat.write(nb, path)
    sentences = [
        "build_reflection_matrix(basis) raised ValueError: matmul",
        "  basis = [[2.0, 0.0], [2.0, 3.0]] (shape (2, 2), float64)",
        "this uses your `build_reflection_matrix` (q1), which fails its checks: fix q1 first.",
        "reflect(points, basis) raised ValueError: matmul",
    ]

    ran = nbformat.from_dict(nb)
    notebook_client(ran, folder, timeout=300, allow_errors=True).execute()
    shown = "\n".join(
        str(out.get("data", {}).get("text/plain", ""))
        for cell in ran.cells
        if cell.cell_type == "code" and "grader.check(" in cell.source
        for out in cell.get("outputs", [])
    )
    printed = []
    assert check_notebook(path, None, 300, echo=printed.append) == 1
    settings = {"timeout": 60.0, "memory_mb": 2048, "preimport": preimports(student)}
    zip_path = built / "autograder" / f"{a.slug}-autograder.zip"
    grade(zip_path, [path], tmp_path / "graded", settings, workers=1, stream=io.StringIO())
    (feedback,) = (tmp_path / "graded" / "feedback").glob("*.html")
    where = {
        "grader.check": shown,
        "mml check": "\n".join(printed),
        "mml grade": html.unescape(feedback.read_text()),
    }
    for name, text in where.items():
        for sentence in sentences:
            assert sentence in text, f"{name} lacks {sentence!r}:\n{text}"
