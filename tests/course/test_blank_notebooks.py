"""A blank student notebook runs top to bottom: cells that need an answer say which question."""

import shutil

import nbformat
import pytest

from autograder.build import build
from autograder.course import load_course
from autograder.kernel import run_notebook
from autograder.validate.specimens import fill

from .conftest import ROOT, guarded_cells, text_of

pytestmark = [pytest.mark.slow]

COURSE = load_course(ROOT)
SLUGS = [a.slug for a in COURSE.assignments]


@pytest.fixture(scope="module")
def built(course_dist):
    """The course, built once for the session into a temporary folder."""
    return {b.slug: b for b in build(COURSE, None, course_dist, echo=lambda *a, **k: None)}


def run_student_notebook(built_one, folder, bodies=None) -> nbformat.NotebookNode:
    """The built student notebook (filled with ``bodies``) run like Run All, export included;
    any cell error fails the test."""
    shutil.copytree(built_one.student_dir, folder)
    nb = nbformat.read(built_one.student_notebook, as_version=4)
    if bodies:
        nb = fill(nb, bodies)
    run_notebook(nb, folder, timeout=300)
    return nb


@pytest.mark.parametrize("slug", SLUGS)
def test_a_blank_notebook_runs_and_says_what_to_finish(built, slug, tmp_path):
    nb = run_student_notebook(built[slug], tmp_path / "blank")
    guarded = guarded_cells(nb)
    if slug != "special-matrices":  # its demo cells use only given code
        assert guarded, f"{slug}: no cell waits for an answer"
    for cell in guarded:
        lines = text_of(cell).strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Finish Question"), cell.source[:80]
        assert not any(o.output_type == "display_data" for o in cell.outputs)
