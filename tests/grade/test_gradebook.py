"""``mml gradebook`` through the real command: formats, roster matching, totals, bad input."""

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.gradebook.roster import Matcher, Student, normalise

from . import classroom

graded_class = classroom.graded_class

ROOT = Path(__file__).resolve().parents[2]

ROSTER = """Student,ID,SIS User ID,SIS Login ID,Section,Email
    Points Possible,,,,,
"Liddell, Alice",12345,S001,aliddell,Mon,alice@uni.example
"O'Neil, Zoë",12346,S002,zoneil,Mon,zoe@uni.example
"Chen, Wei",12347,S003,wchen,Tue,wei.chen@uni.example
"Builder, Bob",12348,S004,bbuilder,Tue,bob@uni.example
"""


def run(*args, course: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "autograder.cli", "--course", course, "gradebook", *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def grading_folder(folder: Path, results: dict[str, tuple]) -> Path:
    """A grading run's results as ``mml grade`` writes them: name -> (total, possible, source,
    status)."""
    (folder / "results").mkdir(parents=True)
    for i, (name, (total, possible, source, status)) in enumerate(results.items()):
        r = {
            "submission": name,
            "source": source,
            "status": status,
            "detail": "",
            "questions": {"q1": {"score": total, "possible": possible, "tests": []}},
            "total": total,
            "possible": possible,
            "cell_errors": [],
            "seconds": 0.1,
        }
        (folder / "results" / f"{i}.json").write_text(json.dumps(r))  # names are the batch's
    return folder


def rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text())))


@pytest.fixture
def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text(ROSTER)
    return path


@pytest.mark.slow  # grades a class for real
def test_canvas_import_from_a_real_grading_run(graded_class, tmp_path, roster):
    roster.write_text(ROSTER + "Erin Example,12349,S005,erin,Wed,e@uni.example\n")
    out = tmp_path / "canvas.csv"
    p = run(graded_class, "--format", "canvas", "--roster", roster, "--out", out)
    # Only alice, bob and erin are on this roster: the others are listed, nothing written.
    assert p.returncode == 1 and not out.exists()
    assert "unmatched: mean-covariance/carol" in p.stderr and "Traceback" not in p.stderr
    assert "mean-covariance/bob" not in p.stderr  # bob@uni.example
    p = run(
        graded_class, "--format", "canvas", "--roster", roster, "--out", out, "--allow-unmatched"
    )  # noqa: E501
    assert p.returncode == 0, p.stderr
    table = rows(out)
    assert table[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", classroom.TITLE]
    assert table[1] == ["    Points Possible", "", "", "", "", "8"]
    by_id = {r[1]: r for r in table[2:]}
    assert by_id["12345"][-1] == "8" and by_id["12349"][-1] == "8"  # by login
    assert by_id["12348"][-1] == "0"  # bob handed in the blank notebook
    assert by_id["12346"][-1] == ""  # Zoë sent nothing: blank, not 0
    assert "no submission from" in p.stderr


def test_file_names_match_the_roster_however_the_lms_named_them(tmp_path, roster):
    run_dir = grading_folder(
        tmp_path / "pagerank",
        {
            "liddellalice_12345_99871_pagerank": (5, 6, "/s/liddellalice_12345_99871_pr.ipynb", "graded"),  # noqa: E501
            "oneilzoe_late_12346_99872_pagerank-1": (3, 6, "/s/x.ipynb", "graded"),
            "Wei-Chen": (4.5, 6, "/s/Wei-Chen.ipynb", "graded"),
            "bbuilder": (6, 6, "/s/bbuilder/pagerank.ipynb", "timeout"),
        },
    )  # fmt: skip
    out = tmp_path / "moodle.csv"
    p = run(run_dir, "--format", "moodle", "--roster", roster, "--out", out)
    assert p.returncode == 0, p.stderr
    table = rows(out)
    assert table[0] == ["Email address", "Full name", "PageRank"]
    assert {r[0]: r[2] for r in table[1:]} == {
        "alice@uni.example": "5",
        "zoe@uni.example": "3",
        "wei.chen@uni.example": "4.5",
        "bob@uni.example": "6",
    }


def test_matcher_rules():
    people = [Student("Liddell, Alice", "1", login="al"), Student("Alice Liddell", "2")]
    m = Matcher(people)
    assert m.match("ALICE_liddell")[0] is None  # two students: ambiguous, never guessed
    assert "could be any of" in m.match("ALICE_liddell")[1]
    assert m.match("liddellalice_2_55_nb")[0] is people[1]  # Canvas user id decides
    assert m.match("nb", "/subs/al/nb.ipynb")[0] is people[0]  # folder per student
    assert m.match("someone-else")[0] is None
    assert normalise("Zoë O'Neil") == "zoeoneil"


def test_several_assignments_give_a_weighted_total(tmp_path, roster, course):
    a = grading_folder(
        tmp_path / "special-matrices", {"aliddell": (10, 10, "/s/aliddell.ipynb", "graded")}
    )
    b = grading_folder(
        tmp_path / "pagerank",
        {"aliddell": (3, 6, "/s/aliddell.ipynb", "graded"), "wchen": (6, 6, "/w.ipynb", "graded")},
    )
    out = tmp_path / "grades.csv"
    p = run(a, b, "--roster", roster, "--out", out)
    assert p.returncode == 0, p.stderr
    table = rows(out)
    assert table[0] == ["student", "id", "email", "special-matrices", "pagerank", "total"]
    assert table[1] == ["points possible", "", "", "10", "6", "16"]  # weights = points
    got = {r[0]: r[3:] for r in table[2:]}
    assert got["Liddell, Alice"] == ["10", "3", "13"]
    assert got["Chen, Wei"] == ["", "6", "6"]
    # A weight in course.yml changes the total; the assignment columns stay as graded.
    (tmp_path / "c").mkdir()
    yml = (ROOT / "course.yml").read_text()
    yml = yml.replace("title: PageRank\n", "title: PageRank\n        weight: 30\n")
    (tmp_path / "c" / "course.yml").write_text(yml)
    for d in ("assignments", "solutions"):
        (tmp_path / "c" / d).symlink_to(ROOT / d)
    p = run(a, b, "--roster", roster, "--out", out, course=tmp_path / "c")
    assert p.returncode == 0, p.stderr
    table = rows(out)
    assert table[1][-1] == "40" and {r[0]: r[-1] for r in table[2:]}["Liddell, Alice"] == "25"


def test_formula_cells_are_neutralised_and_numbers_stay_numbers(tmp_path):
    run_dir = grading_folder(
        tmp_path / "heights",
        {
            '=HYPERLINK("https://x","y")': (2.5, 10, "/s/a.ipynb", "graded"),
            "@SUM(1)": (0, 10, "/s/b.ipynb", "invalid"),
            "-2+3": (10, 10, "/s/c.ipynb", "graded"),
        },
    )
    out = tmp_path / "g.csv"
    p = run(run_dir, "--format", "csv", "--out", out)
    assert p.returncode == 0, p.stderr
    got = {r[0]: r[1] for r in rows(out)[2:]}
    assert got == {'\'=HYPERLINK("https://x","y")': "2.5", "'@SUM(1)": "0", "'-2+3": "10"}


@pytest.mark.parametrize(
    "args, says",
    [
        (["{run}", "--format", "canvas", "--out", "{tmp}/x.csv"], "needs --roster"),
        (["{tmp}/nothing", "--out", "{tmp}/x.csv"], "not a grading folder"),
        (["{run}", "--roster", "{tmp}/bad.csv", "--out", "{tmp}/x.csv"], "needs an identifier"),
        (["{run}", "--roster", "{tmp}/none.csv", "--out", "{tmp}/x.csv"], "cannot read"),
        (["{run}", "--out", "{tmp}/no/such/dir/x.csv"], "no folder"),
    ],
)
def test_bad_input_is_one_line_and_non_zero(tmp_path, args, says):
    run_dir = grading_folder(tmp_path / "pca", {"a": (1, 2, "/a.ipynb", "graded")})
    (tmp_path / "nothing").mkdir()
    (tmp_path / "bad.csv").write_text("Student,Favourite colour\nAlice,blue\n")
    p = run(*[a.format(run=run_dir, tmp=tmp_path) for a in args])
    assert p.returncode == 2 and says in p.stderr
    assert len(p.stderr.strip().splitlines()) == 1 and "Traceback" not in p.stderr


def test_a_folder_of_grading_runs_is_one_column_each(tmp_path):
    """As `mml grade --all` and the demo lay them out: DIR/<slug>/ per assignment."""
    roster = ROOT / "scripts" / "demo-roster.csv"
    for slug, score in (("sandpit", 7), ("heights", 9.5)):
        grading_folder(tmp_path / "run" / slug, {"ada": (score, 10, "/s/ada.zip", "graded")})
    (tmp_path / "run" / "submissions" / "sandpit").mkdir(parents=True)  # no results: skipped
    out = tmp_path / "canvas.csv"
    p = run(tmp_path / "run", "--format", "canvas", "--roster", roster, "--out", out)
    assert p.returncode == 0, p.stderr
    table = rows(out)
    assert table[0][5:] == [
        "Fitting the distribution of heights",
        "The Sandpit: measuring slopes and curvature",
        "Weighted total",
    ]
    assert table[1][5:] == ["10", "10", "20"]
    assert table[2][:2] == ["Lovelace, Ada", "31001"] and table[2][5:] == ["9.5", "7", "16.5"]
    assert "no submission from: Franklin, Ben" in p.stderr
