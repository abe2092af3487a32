"""The whole path on the toy course: otter run agrees, mml check, and an exported zip grades."""

import shutil
import subprocess
import sys

import nbformat
import pytest

from autograder.kernel import notebook_client
from autograder.validate import validate
from autograder.validate.otter_engine import otter_run
from autograder.validate.specimens import fill, mutant_bodies, reference_bodies

pytestmark = pytest.mark.slow  # builds with otter assign or runs otter/kernels


def test_validate_with_otter_passes_and_reports(built_toy, capsys):
    course, built = built_toy
    assert validate(course, None, built.root.parent, "otter", workers=2) == 0
    out = capsys.readouterr().out
    assert "reference" in out and "mutant squared_norm" in out and "leaks" in out
    assert "FAIL" not in out


def test_validate_fails_when_a_mutant_is_not_caught(toy, capsys):
    from autograder.course import load_course

    harmless = toy / "solutions/basics/vectors/mutants/harmless.py"
    harmless.write_text(
        '"""Correct after all."""\n\nimport numpy as np\n\n\ndef norm(v):\n'
        "    return float(np.linalg.norm(v))\n"
    )
    assert validate(load_course(toy), None, toy / "dist", "local") == 1
    assert "mutant harmless" in capsys.readouterr().out


def mml(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
    )


def student_copy(built, tmp_path, bodies=None, name="mine.ipynb"):
    """The student folder with the notebook (filled with ``bodies``) saved as ``name``."""
    folder = tmp_path / "student"
    shutil.copytree(built.student_dir, folder)
    nb = nbformat.read(built.student_notebook, as_version=4)
    (folder / built.student_notebook.name).unlink()
    path = folder / name
    nbformat.write(fill(nb, bodies) if bodies else nb, path)
    return path


def test_mml_check_exit_codes(built_toy, tmp_path):
    course, built = built_toy
    a = course.assignment("vectors")
    good = mml("check", student_copy(built, tmp_path / "good", reference_bodies(a)))
    assert good.returncode == 0, good.stdout + good.stderr
    assert "2 of 2 questions pass" in good.stdout
    bad_bodies = mutant_bodies(a)["squared_norm"]
    bad = mml("check", student_copy(built, tmp_path / "bad", bad_bodies), "-q", "q1")
    assert bad.returncode == 1
    assert "norm([3, 4]) is 25, but 5 was expected" in bad.stdout
    blank = mml("check", student_copy(built, tmp_path / "blank"))
    assert blank.returncode == 1 and "is None" in blank.stdout
    junk = tmp_path / "junk.ipynb"
    junk.write_text("not a notebook")
    assert mml("check", junk).returncode == 2


def test_student_notebook_runs_and_its_exported_zip_grades_full(built_toy, tmp_path):
    course, built = built_toy
    # Otter's export cell zips the notebook by its built name, so keep that name here.
    bodies = reference_bodies(course.assignment("vectors"))
    path = student_copy(built, tmp_path, bodies, name=built.student_notebook.name)
    nb = nbformat.read(path, as_version=4)
    # Run top to bottom like a student, in a real kernel, export cell included.
    notebook_client(nb, path.parent, timeout=120).execute()
    nbformat.write(nb, path)
    zips = sorted(path.parent.glob("*.zip"))
    assert len(zips) == 1, "grader.export() wrote no zip"
    import zipfile

    assert zipfile.ZipFile(zips[0]).testzip() is None
    scores = otter_run(built.autograder_zip, zips[0])
    assert scores == {"q1": 2.0, "q2": 3.0}
