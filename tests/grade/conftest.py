"""Fixtures for ``mml grade``: a real built assignment and submissions made from it."""

import json
import shutil
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from autograder.build import ensure_built
from autograder.course import load_course
from autograder.validate import specimens

SLUG = "mean-covariance"


@pytest.fixture(scope="session")
def course():
    return load_course(Path(__file__).resolve().parents[2])


@pytest.fixture(scope="session")
def built(course, course_dist, tmp_path_factory):
    """A private copy of the build, so a concurrent rebuild of dist/ cannot disturb a test.

    Builds first if needed: ``mml grade`` itself never builds (it asks for `mml build`)."""
    b = ensure_built(course, SLUG, course_dist)
    d = tmp_path_factory.mktemp("built")
    zip_copy = d / b.autograder_zip.name
    nb_copy = d / b.student_notebook.name
    shutil.copyfile(b.autograder_zip, zip_copy)
    shutil.copyfile(b.student_notebook, nb_copy)
    return SimpleNamespace(autograder_zip=zip_copy, student_notebook=nb_copy)


@pytest.fixture(scope="session")
def settings(built):
    from autograder.grade import load
    from autograder.grade.settings import Settings

    return Settings(timeout=6.0, memory_mb=1024, preimport=load.preimports(built.student_notebook))


@pytest.fixture(scope="session")
def notebooks(course, built):
    """Honest notebooks: the reference, the blank and every mutant."""
    nbs = {
        "reference": specimens.reference_submission(course, SLUG),
        "blank": specimens.blank_submission(course, SLUG),
    }
    nbs.update({f"mutant-{k}": v for k, v in specimens.mutant_submissions(course, SLUG).items()})
    return nbs


def write(nb, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def with_cells(nb, *sources, where=None, tags=None):
    """A copy of ``nb`` with code cells added (after cell index ``where``, default the end)."""
    nb = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells = [nbformat.v4.new_code_cell(s) for s in sources]
    for c in cells:
        if tags:
            c.metadata["tags"] = tags
    at = len(nb.cells) if where is None else where
    nb.cells[at:at] = cells
    return nb


def export_zip(nb, path: Path, name: str = f"{SLUG}.ipynb") -> Path:
    """A submission zip as ``grader.export()`` writes it: the notebook and an Otter log."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(name, nbformat.writes(nb))
        z.writestr(".OTTER_LOG", b"\x80\x04not really a log")
    return path


def first_code_after(nb, text: str) -> int:
    for i, c in enumerate(nb.cells):
        if c.cell_type == "code" and text in c.source:
            return i + 1
    raise ValueError(text)


def load_results(out: Path) -> dict[str, dict]:
    """Every result in ``out``, by submission identity."""
    found = [json.loads(p.read_text()) for p in (out / "results").glob("*.json")]
    return {r["submission"]: r for r in found}


def scores(result: dict) -> dict[str, float]:
    return {q: v["score"] for q, v in result["questions"].items()}
