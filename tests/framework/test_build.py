"""Building with the real otter assign: outputs, reproducibility, incremental builds, refusals."""

import hashlib
import zipfile

import nbformat
import pytest

from autograder.build import build, build_one
from autograder.course import CourseError, load_course
from autograder.validate import check_leaks

pytestmark = pytest.mark.slow  # builds with otter assign or runs otter/kernels

QUIET = {"echo": lambda *a, **k: None}


def digests(folder):
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_outputs_are_at_the_contract_paths(built_toy):
    _, built = built_toy
    assert built.student_notebook.name == "vectors.ipynb"
    assert (built.student_dir / "weights.csv").is_file()
    assert built.autograder_zip.name == "vectors-autograder.zip"
    with zipfile.ZipFile(built.autograder_zip) as z:
        names = set(z.namelist())
    assert {"tests/q1.py", "tests/q2.py", "files/weights.csv", "run_autograder"} <= names


def test_student_notebook_has_stubs_checks_and_a_pdf_free_export(built_toy):
    _, built = built_toy
    nb = nbformat.read(built.student_notebook, as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert 'grader.check("q1")' in code and 'grader.check("q2")' in code
    assert "grader.export(pdf=False)" in code
    assert "np.sqrt" not in code  # the reference body is not there
    assert '"""The Euclidean length of the vector v."""\n    ...' in code
    public = nb.metadata["otter"]["tests"]
    assert "test_norm_345" in public["q1"] and "test_norm_random" not in public["q1"]
    assert all(c.outputs == [] for c in nb.cells if c.cell_type == "code")


def test_reference_notebook_keeps_figures(built_toy):
    _, built = built_toy
    nb = nbformat.read(built.reference_notebook, as_version=4)
    kinds = {
        k for c in nb.cells if c.cell_type == "code" for o in c.outputs for k in o.get("data", {})
    }
    assert "image/png" in kinds


def test_two_builds_are_byte_identical_and_a_noop_build_is_skipped(toy, tmp_path):
    course = load_course(toy)
    a = course.assignment("vectors")
    assert build_one(course, a, tmp_path / "one") is True
    assert build_one(course, a, tmp_path / "two") is True
    assert digests(tmp_path / "one") == digests(tmp_path / "two")
    assert build_one(course, a, tmp_path / "one") is False  # unchanged: not rebuilt
    (toy / "solutions/basics/vectors/tests.py").write_text(
        (toy / "solutions/basics/vectors/tests.py").read_text() + "\n# touched\n"
    )
    course = load_course(toy)
    assert build_one(course, course.assignment("vectors"), tmp_path / "one") is True


def test_stub_signature_must_match_the_solution(toy, tmp_path):
    tpl = toy / "assignments/basics/vectors/notebook.py"
    tpl.write_text(tpl.read_text().replace("def norm(v):", "def norm(vector):"))
    course = load_course(toy)
    with pytest.raises(CourseError, match=r"stub norm\(vector\) does not match .* norm\(v\)"):
        build(course, None, tmp_path / "dist", **QUIET)


def test_stub_must_be_blank(toy, tmp_path):
    tpl = toy / "assignments/basics/vectors/notebook.py"
    tpl.write_text(
        tpl.read_text().replace(
            '"""The Euclidean length of the vector v."""\n    ...',
            '"""The Euclidean length of the vector v."""\n    return 0',
        )
    )
    with pytest.raises(CourseError, match="stub norm must be a docstring and `...` only"):
        build(load_course(toy), None, tmp_path / "dist", **QUIET)


def test_question_layout_is_enforced(toy, tmp_path):
    tpl = toy / "assignments/basics/vectors/notebook.py"
    tpl.write_text(tpl.read_text().replace('grader.check("q1")', 'grader.check("q2")', 1))
    with pytest.raises(CourseError, match="checks q2 inside q1"):
        build(load_course(toy), None, tmp_path / "dist", **QUIET)


def test_leak_check_finds_a_planted_hidden_test(built_toy, tmp_path):
    course, built = built_toy
    a = course.assignment("vectors")
    assert check_leaks(a, built).ok
    import shutil

    from autograder.build import Built

    copy = Built(built.slug, tmp_path / built.slug)
    shutil.copytree(built.root, copy.root)
    with zipfile.ZipFile(built.autograder_zip) as z:
        hidden = z.read("tests/q1.py").decode()
    (copy.student_dir / "notes.txt").write_text(hidden)
    row = check_leaks(a, copy)
    assert not row.ok and "hidden test" in row.result
