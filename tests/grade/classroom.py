"""A small mixed class of mean-covariance submissions, graded for real, for the report tests."""

from pathlib import Path

import pytest

from autograder.grade import grade, load
from autograder.validate import specimens

from .conftest import SLUG, export_zip, with_cells, write

TITLE = "Mean and covariance of a data set"

# One student's own way of writing the answers (loops, different names): not the reference.
OWN_WORK = {
    "mean_naive": [
        "    rows, cols = X.shape\n",
        "    acc = [0.0] * cols\n",
        "    for r in range(rows):\n",
        "        for c in range(cols):\n",
        "            acc[c] += X[r, c]\n",
        "    return np.array([a / rows for a in acc])\n",
    ],
    "cov_naive": [
        "    rows, cols = X.shape\n",
        "    centre = X.sum(axis=0) / rows\n",
        "    out = np.zeros((cols, cols))\n",
        "    for i in range(cols):\n",
        "        for j in range(cols):\n",
        "            out[i, j] = ((X[:, i] - centre[i]) * (X[:, j] - centre[j])).sum() / rows\n",
        "    return out\n",
    ],
}

# The same answers copied by a classmate: names changed, comments and blank lines added.
COPIED = {
    "mean_naive": [
        "    # add up every row\n",
        "    n_rows, n_cols = X.shape\n",
        "    total = [0.0] * n_cols\n",
        "\n",
        "    for row in range(n_rows):\n",
        "        for col in range(n_cols):\n",
        "            total[col] += X[row, col]   # running sum\n",
        "    return np.array([t / n_rows for t in total])\n",
    ],
    "cov_naive": [
        "    n_rows, n_cols = X.shape\n",
        "    mu = X.sum(axis=0) / n_rows  # the mean\n",
        "    result = np.zeros((n_cols, n_cols))\n",
        "    for a in range(n_cols):\n",
        "        for b in range(n_cols):\n",
        "            result[a, b] = ((X[:, a] - mu[a]) * (X[:, b] - mu[b])).sum() / n_rows\n",
        "\n",
        "    return result\n",
    ],
}

# A third student, independent: vectorised, nothing like the other two.
INDEPENDENT = {
    "mean_naive": ["    return np.add.reduce(X, axis=0) / len(X)\n"],
    "cov_naive": [
        "    centred = X - np.add.reduce(X, axis=0) / len(X)\n",
        "    return np.einsum('ni,nj->ij', centred, centred) / len(X)\n",
    ],
}


def make_class(course, folder: Path) -> dict[str, Path]:
    """Write the class's files into ``folder``; returns name -> path."""
    a = course.assignment(SLUG)
    reference = specimens.reference_bodies(a)
    own, copied, independent = (_dedent(b) for b in (OWN_WORK, COPIED, INDEPENDENT))
    student = specimens.blank_submission(course, SLUG)
    mutants = specimens.mutant_submissions(course, SLUG)
    files = {
        "alice": write(specimens.fill(student, reference), folder / "alice.ipynb"),
        "bob": write(student, folder / "bob.ipynb"),
        "carol": write(mutants["cov_n_minus_1"], folder / "carol.ipynb"),
        "dan": write(mutants["mean_naive_off_by_one"], folder / "dan.ipynb"),
        "erin": write(specimens.fill(student, {**reference, **own}), folder / "erin.ipynb"),
        "frank": write(specimens.fill(student, {**reference, **copied}), folder / "frank.ipynb"),
        "grace": write(
            specimens.fill(student, {**reference, **independent}), folder / "grace.ipynb"
        ),
    }
    files["heidi"] = export_zip(
        with_cells(specimens.fill(student, reference), "while True:\n    pass"),
        folder / "heidi.zip",
    )
    broken = folder / "ivan.ipynb"
    broken.write_text("{ this is not a notebook")
    files["ivan"] = broken
    files["judy"] = write(
        with_cells(specimens.fill(student, reference), "raise ValueError('my own bug')"),
        folder / "judy.ipynb",
    )
    return files


def _dedent(bodies: dict[str, list[str]]) -> dict[str, list[str]]:
    """Bodies as ``fill`` takes them: without the function's own indentation."""
    return {f: [ln[4:].rstrip("\n") for ln in lines] for f, lines in bodies.items()}


def boilerplate(course) -> list[str]:
    """The code every submission starts from or converges to: stubs and reference functions."""
    a = course.assignment(SLUG)
    return [a.template.read_text(), a.solution_file.read_text()]


def grade_class(course, built, folder: Path, out: Path) -> int:
    settings = {
        "timeout": 6.0,
        "memory_mb": 1024,
        "preimport": load.preimports(built.student_notebook),
    }
    make_class(course, folder)
    return grade(built.autograder_zip, [folder], out, settings, workers=2)


_graded: dict[str, Path] = {}


@pytest.fixture
def graded_class(course, built, tmp_path_factory) -> Path:
    """The class graded once per session (shared by the report, gradebook and browser tests)."""
    if "out" not in _graded:
        base = tmp_path_factory.mktemp("class")
        out = base / SLUG  # named as the assignment, as `mml gradebook` expects
        assert grade_class(course, built, base / "subs", out) == 0
        _graded["out"] = out
    return _graded["out"]
