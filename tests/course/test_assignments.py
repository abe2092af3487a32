"""Every assignment of the course, end to end: built with otter assign, graded with otter run."""

import shutil
import zipfile

import nbformat
import pytest

from autograder.build import build, build_one
from autograder.course import load_course
from autograder.course.cases import load_test_cases
from autograder.kernel import notebook_client
from autograder.validate import validate_otter
from autograder.validate.leaks import check_leaks
from autograder.validate.otter_engine import otter_run
from autograder.validate.specimens import fill, reference_bodies

from .conftest import ROOT, guarded_cells, shows_something, text_of

pytestmark = pytest.mark.slow  # builds with otter assign or runs otter/kernels

COURSE = load_course(ROOT)
SLUGS = [a.slug for a in COURSE.assignments]


@pytest.fixture(scope="session")
def built(course_dist):
    """Build the whole course once (into a temporary folder, never the repository's dist/)."""
    return {b.slug: b for b in build(COURSE, None, course_dist, echo=lambda *a, **k: None)}


def test_the_course_has_its_twelve_assignments():
    assert [m.slug for m in COURSE.modules] == ["linear-algebra", "multivariate-calculus", "pca"]
    assert len(SLUGS) == 12


@pytest.mark.parametrize("slug", SLUGS)
def test_every_question_has_public_and_hidden_tests_and_mutants(slug):
    a = COURSE.assignment(slug)
    cases = load_test_cases(a.tests_file)
    for q in a.questions:
        kinds = {c.hidden for c in cases if c.question == q.name}
        assert kinds == {False, True}, f"{slug} {q.name} needs public and hidden tests"
    assert len(a.mutants) >= 3


@pytest.mark.parametrize("slug", SLUGS)
def test_otter_run_grades_reference_full_and_blank_zero_and_nothing_leaks(built, slug):
    """The real ``otter run`` on the reference and the blank notebook of every assignment.

    Every hand-written mutant is graded too, by the sandboxed grader, in
    ``test_mutation.py`` (each must lose points there), and ``tests/grade/test_grade.py``
    shows that grader agreeing with ``otter run`` on every mutant of mean-covariance; ``mml
    validate`` itself still runs all of them through ``otter run`` (about 190 ``otter run``s,
    five minutes of the suite).
    """
    a = COURSE.assignment(slug)
    rows = validate_otter(a, built[slug], workers=2, course=COURSE, mutants=False)
    failures = [f"{r.check}: {r.result}" for r in rows if not r.ok]
    assert not failures, failures
    assert [r.check for r in rows] == ["reference", "blank", "leaks"]


@pytest.mark.parametrize("slug", SLUGS)
def test_student_notebook_runs_top_to_bottom_and_its_export_grades_full(built, slug, tmp_path):
    """A student who fills in the reference, runs every cell (export included) and submits."""
    b = built[slug]
    a = COURSE.assignment(slug)
    folder = tmp_path / "student"
    shutil.copytree(b.student_dir, folder)
    nb = fill(nbformat.read(b.student_notebook, as_version=4), reference_bodies(a))
    path = folder / b.student_notebook.name
    nbformat.write(nb, path)
    notebook_client(nb, folder, timeout=300).execute()  # raises on any cell error
    nbformat.write(nb, path)
    for cell in guarded_cells(nb):  # answered, every cell that waited shows its output
        assert "Finish Question" not in text_of(cell), cell.source[:80]
        assert shows_something(cell), cell.source[:80]
    (export,) = folder.glob("*.zip")
    assert zipfile.ZipFile(export).testzip() is None
    scores = otter_run(b.autograder_zip, export)
    assert scores == {q.name: q.points for q in a.questions}


def test_a_real_assignment_builds_byte_identically_twice(tmp_path):
    a = COURSE.assignment("gram-schmidt")
    assert build_one(COURSE, a, tmp_path / "one") and build_one(COURSE, a, tmp_path / "two")
    one, two = tmp_path / "one" / a.slug, tmp_path / "two" / a.slug
    files = sorted(p.relative_to(one) for p in one.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(two) for p in two.rglob("*") if p.is_file())
    for f in files:
        assert (one / f).read_bytes() == (two / f).read_bytes(), f


def test_a_second_build_of_the_course_rebuilds_nothing(built, course_dist):
    assert not any(build_one(COURSE, a, course_dist) for a in COURSE.assignments)


def test_the_leak_check_compares_every_notebook_with_every_solution(built):
    """sandpit-2 gives Part 1's gradient and hessian on purpose (``reveals`` in course.yml);
    without that declaration the course-wide check finds sandpit's reference code in it."""
    a = COURSE.assignment("sandpit-2")
    assert check_leaks(a, built["sandpit-2"], COURSE).ok
    undeclared = a.model_copy(update={"reveals": {}})
    row = check_leaks(undeclared, built["sandpit-2"], COURSE)
    assert not row.ok and "sandpit's solution of hessian" in row.result
