"""``mml grade --all ROOT``: the whole course in one call, through the real CLI and grader."""

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.build import ensure_built
from autograder.validate import specimens

from .conftest import load_results, with_cells, write

pytestmark = pytest.mark.slow

SLUGS = ["mean-covariance", "special-matrices", "sandpit-2"]
REPO = Path(__file__).resolve().parents[2]


def mml(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", *map(str, args), "--course", str(REPO)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def course_root(course, course_dist, tmp_path_factory):
    """ROOT/<slug>/ with a reference, a blank and a mutant each (one named as a formula), and
    a folder that is no assignment."""
    for slug in SLUGS:
        ensure_built(course, slug, course_dist)
    root = tmp_path_factory.mktemp("course") / "root"
    for slug in SLUGS:
        mutants = specimens.mutant_submissions(course, slug)
        write(specimens.reference_submission(course, slug), root / slug / "alice.ipynb")
        write(specimens.blank_submission(course, slug), root / slug / "bob.ipynb")
        write(mutants[sorted(mutants)[0]], root / slug / "=carol.ipynb")
        # What a child sees in its folder: only its own assignment's data files, although one
        # zygote serves every assignment (the listing comes back as a cell error).
        look = "import os\nraise RuntimeError(repr(sorted(os.listdir('.'))))"
        write(
            with_cells(specimens.reference_submission(course, slug), look),
            root / slug / "dave.ipynb",
        )
    (root / "pca").mkdir()  # an assignment with nothing handed in yet: skipped, said so
    (root / "not-an-assignment").mkdir()
    write(specimens.blank_submission(course, SLUGS[0]), root / "not-an-assignment" / "x.ipynb")
    return root


@pytest.fixture(scope="module")
def graded(course_root, course_dist):
    out = course_root.parent / "out"
    run = mml("grade", "--all", course_root, "--out", out, "--dist", course_dist, cwd=REPO)
    return out, run


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


def test_all_gives_what_separate_calls_give(graded, course_root, course_dist, tmp_path):
    out, run = graded
    assert run.returncode == 0, run.stderr
    assert "'not-an-assignment'" in run.stderr  # listed, skipped
    assert "skipped (no .ipynb or .zip files): pca" in run.stderr
    assert not (out / "not-an-assignment").exists() and not (out / "pca").exists()
    for slug in SLUGS:
        alone = tmp_path / slug
        one = mml("grade", slug, course_root / slug, "--out", alone, "--dist", course_dist, cwd=out)
        assert one.returncode == 0, one.stderr
        assert (out / slug / "scores.csv").read_text() == (alone / "scores.csv").read_text()
        for name in ("summary.json", "summary.md", "report.html"):
            assert (out / slug / name).is_file()
        assert len(list((out / slug / "feedback").glob("*.html"))) == 4
        by_name = {r[0]: r for r in rows(alone / "scores.csv")[1:]}
        assert by_name["alice"][-3] == by_name["alice"][-2]  # the reference earns everything
        assert float(by_name["bob"][-3]) == 0  # the blank earns nothing
        assert 0 < float(by_name["'=carol"][-3]) < float(by_name["'=carol"][-2])  # the mutant


def test_course_csv_has_a_column_per_assignment_and_the_weighted_total(graded, course):
    out, _ = graded
    table = rows(out / "scores.csv")
    header, points, body = table[0], table[1], table[2:]
    order = [a.slug for a in course.assignments if a.slug in SLUGS]
    assert header == ["submission", *order, "total"]
    weights = {a.slug: a.total_weight for a in course.assignments}
    assert float(points[-1]) == pytest.approx(sum(weights[s] for s in order))
    assert [r[0] for r in body] == ["'=carol", "alice", "bob", "dave"]  # neutralised, one each
    for r in body:
        totals = {}
        for slug in order:
            per = {x[0]: x for x in rows(out / slug / "scores.csv")[1:]}[r[0]]
            totals[slug] = (float(per[-3]), float(per[-2]))
            assert float(r[header.index(slug)]) == pytest.approx(totals[slug][0], abs=1e-4)
        weighted = sum(weights[s] * t / p for s, (t, p) in totals.items())
        assert float(r[-1]) == pytest.approx(weighted, abs=1e-3)
    alice, bob = body[1], body[2]
    assert float(alice[-1]) == pytest.approx(float(points[-1]))
    assert float(bob[-1]) == 0


def test_course_report_links_each_assignment(graded):
    out, _ = graded
    page = (out / "report.html").read_text()
    for slug in SLUGS:
        assert f'href="{slug}/report.html"' in page
        assert (out / slug / "report.html").is_file()
    assert "<script" not in page and "http" not in page  # self-contained


def test_rerun_resumes(graded, course_root, course_dist):
    out, _ = graded
    before = (out / "scores.csv").read_text()
    run = mml("grade", "--all", course_root, "--out", out, "--dist", course_dist, cwd=REPO)
    assert run.returncode == 0, run.stderr
    assert "12 submissions (12 already graded)" in run.stderr
    assert (out / "scores.csv").read_text() == before


@pytest.mark.parametrize(
    "args, says",
    [
        (["--all", "missing"], "not a folder"),
        (["--all", "empty"], "no folder named after an assignment"),
        (["mean-covariance", "--all", "root"], "does not take SLUG/PATH"),
        (["--all", "root", "--dist", "nodist"], "is not built in"),
        (["--all", "root", "--scheduler", "tcp://127.0.0.1:1"], "cannot reach the Dask scheduler"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path, course_root, args, says):
    (tmp_path / "empty").mkdir()
    (tmp_path / "root").symlink_to(course_root)
    run = mml("grade", *args, "--out", tmp_path / "out", cwd=tmp_path)
    assert run.returncode == 2
    assert says in run.stderr
    assert len(run.stderr.strip().splitlines()) <= 3  # the skipped folders, then the error
    assert "Traceback" not in run.stderr
    assert not (tmp_path / "out").exists()


def test_each_child_sees_only_its_own_assignments_data_files(graded):
    out, _ = graded
    seen = {}
    for slug in SLUGS:
        dave = load_results(out / slug)["dave"]
        assert dave["status"] == "graded" and dave["total"] == dave["possible"]
        seen[slug] = dave["cell_errors"][-1][2]
    assert "digits.npz" in seen["mean-covariance"]  # its data file is there
    assert seen["special-matrices"] == seen["sandpit-2"] == "[]"  # and nowhere else
