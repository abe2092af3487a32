"""``mml grade --autograder ZIP`` on our own Otter assignments: scores equal ``otter run``'s.

Each assignment under tests/fixtures/otter/ is a master notebook built in the session with the
real ``otter assign`` (OK-format masters are executed first: Otter takes a doctest's expected
output from the test cell's output). Honest right, wrong, partial and blank submissions are
graded by the judge and by ``otter run``; every question's score must be equal.
"""

import importlib.util
import json
import subprocess
import sys
import zipfile
from pathlib import Path
from types import SimpleNamespace

import nbformat
import pytest

from autograder.grade import grade, otter_zip
from autograder.grade.record import file_stem
from autograder.validate.otter_engine import otter_run_many

from .conftest import load_results, scores

pytestmark = pytest.mark.slow  # otter assign, otter run, kernels

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "otter"
ROOT = Path(__file__).resolve().parents[2]
_spec = importlib.util.spec_from_file_location("otter_fixtures", FIXTURES / "build.py")
fixtures = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(fixtures)
answer = fixtures.answer
OK_RIGHT, OK_WRONG, OK_PARTIAL = fixtures.OK_RIGHT, fixtures.OK_WRONG, fixtures.OK_PARTIAL


@pytest.fixture(scope="session")
def otter_built(tmp_path_factory):
    """Build each fixture once per session with the real ``otter assign``."""
    base = tmp_path_factory.mktemp("otter-built")
    built = {}
    for master_dir in sorted(p for p in FIXTURES.iterdir() if (p / f"{p.name}.ipynb").exists()):
        zip_path, student = fixtures.build(master_dir.name, base / master_dir.name)
        built[master_dir.name] = SimpleNamespace(zip=zip_path, student=student)
    return built


@pytest.fixture(scope="session")
def zip_settings():
    return {"timeout": 30.0, "memory_mb": 1024, "preimport": otter_zip._preimports()}


def submission_zip(nb, name: str, path: Path, files: dict[str, str]) -> Path:
    """A submission as ``grader.export()`` zips it: the notebook and the student's files."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(f"{name}.ipynb", nbformat.writes(nb))
        for fname, text in files.items():
            z.writestr(fname, text)
    return path


EXC_RIGHT = {
    "q1": "def column_means(df):\n    return df.select_dtypes('number').mean()",
    "q2": "def with_ratio(df):\n    return df.assign(ratio=df['a'] / df['b']).set_index('key')",
    "q3": "text = 'otter'\ncounts = pd.Series(list(text)).value_counts().sort_index()",
}
EXC_WRONG = {
    "q1": "def column_means(df):\n    return df.sum(numeric_only=True)",
    "q2": "def with_ratio(df):\n    return df.assign(ratio=df['b'] / df['a']).set_index('key')",
    "q3": "text = 'otter'\ncounts = pd.Series(list(set(text))).value_counts()",
}
EXC_PARTIAL = {  # q2 changes its argument in place: the test sees that, as in Otter
    "q1": EXC_RIGHT["q1"],
    "q2": "def with_ratio(df):\n    df['ratio'] = df['a'] / df['b']\n"
    "    df.set_index('key', inplace=True)\n    return df",
}

SEED_RIGHT = {
    "q1": "tallest = heights['cm'].max()",
    "q2": "rng = np.random.default_rng(rng_seed)\n"
    "sample = rng.choice(heights['cm'].to_numpy(), 3, replace=False)",
}
SEED_WRONG = {
    "q1": "tallest = heights['cm'].min()",
    "q2": "rng = np.random.default_rng(0)\nsample = rng.choice([1, 2, 3], 3)",
}
SEED_PARTIAL = {  # the data read right, but a fixed seed instead of rng_seed
    "q1": SEED_RIGHT["q1"],
    "q2": "rng = np.random.default_rng(1)\n"
    "sample = rng.choice(heights['cm'].to_numpy(), 3, replace=False)",
}

UNITS_RIGHT = "FACTOR = 0.621371\n\ndef km_to_miles(km):\n    return km * FACTOR\n"
UNITS_WRONG = "FACTOR = 0.6\n\ndef km_to_miles(km):\n    return km / FACTOR\n"
UNITS_PARTIAL = "FACTOR = 0.621371\n\ndef km_to_miles(km):\n    return km * 0.62\n"
FILES_ANSWER = {"q1": "import units\nmarathon_miles = "
                "round(units.km_to_miles(42.195), 2)"}  # fmt: skip


def _submissions(name, built, subs: Path) -> list[Path]:
    student = built.student
    if name == "student-files":
        nb = answer(student, FILES_ANSWER)
        return [
            submission_zip(nb, name, subs / "right.zip", {"units.py": UNITS_RIGHT}),
            submission_zip(nb, name, subs / "wrong.zip", {"units.py": UNITS_WRONG}),
            submission_zip(nb, name, subs / "partial.zip", {"units.py": UNITS_PARTIAL}),
            submission_zip(student, name, subs / "blank.zip", {}),
        ]
    right, wrong, partial = {
        "ok-basics": (OK_RIGHT, OK_WRONG, OK_PARTIAL),
        "exc-pandas": (EXC_RIGHT, EXC_WRONG, EXC_PARTIAL),
        "files-seed": (SEED_RIGHT, SEED_WRONG, SEED_PARTIAL),
    }[name]
    out = []
    for label, answers in (("right", right), ("wrong", wrong), ("partial", partial)):
        path = subs / f"{label}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(answer(student, answers), path)
        out.append(path)
    nbformat.write(student, subs / "blank.ipynb")
    return [*out, subs / "blank.ipynb"]


@pytest.mark.parametrize("name", ["ok-basics", "exc-pandas", "files-seed", "student-files"])
def test_scores_equal_otter_run(name, otter_built, zip_settings, tmp_path):
    built = otter_built[name]
    paths = _submissions(name, built, tmp_path / "subs")
    out = tmp_path / "out"
    assert grade(built.zip, paths, out, zip_settings, workers=2) == 0
    mine = {Path(r["source"]).stem: r for r in load_results(out).values()}
    theirs = otter_run_many(built.zip, paths, workers=2)
    for path, want in zip(paths, theirs):
        assert not isinstance(want, Exception), want
        got = mine[path.stem]
        assert got["status"] == "graded", (path.name, got["detail"])
        assert scores(got) == pytest.approx(want, abs=1e-4), (name, path.stem, got, want)
    totals = {k: r["total"] for k, r in mine.items()}
    possible = next(iter(mine.values()))["possible"]
    # honest submissions span the range: the right one full marks, blank none, the others between
    assert totals["right"] == possible and totals["blank"] == 0, totals
    assert 0 <= totals["wrong"] < totals["partial"] < possible, totals


def _r_zip(path: Path) -> Path:
    """An R autograder zip written by hand (no R here): Otter's layout, ``lang: r``."""
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("otter_config.json", json.dumps({"lang": "r", "assignment_name": "hw"}))
        z.writestr("tests/q1.R", 'test = list(name = "q1", cases = list())\n')
        z.writestr("run_autograder", "#!/usr/bin/env bash\n")
    return path


def test_r_assignment_refused_by_name(tmp_path, otter_built):
    zip_path = _r_zip(tmp_path / "hw-autograder.zip")
    sub = tmp_path / "s.ipynb"
    nbformat.write(otter_built["ok-basics"].student, sub)
    cli = [sys.executable, "-m", "autograder.cli", "grade", "--autograder", str(zip_path)]
    proc = subprocess.run(
        [*cli, str(sub), "--out", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        cwd=tmp_path,  # no course here: --autograder needs none
        env={**__import__("os").environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 2, proc.stderr
    assert "lang: 'r'" in proc.stderr and "R test files" not in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "scores.csv").exists()
    # the internal API refuses too: no silent "0 questions, graded"
    assert grade(zip_path, [sub], tmp_path / "out2", {}, workers=1) == 2


def _with_config(zip_path: Path, dest: Path, **keys) -> Path:
    with zipfile.ZipFile(zip_path) as src, zipfile.ZipFile(dest, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "otter_config.json":
                data = json.dumps({**json.loads(data), **keys}).encode()
            z.writestr(info, data)
    return dest


def test_refusals_name_each_feature(tmp_path, otter_built):
    zip_path = _with_config(
        otter_built["exc-pandas"].zip,
        tmp_path / "x.zip",
        plugins=["otter.plugins.builtin.GoogleSheetsGradeOverride"],
        grade_from_log=True,
        rubric="strict",
    )
    inspection = otter_zip.inspect(zip_path.read_bytes())
    text = "\n".join(inspection.refused)
    assert "plugins" in text and "grade_from_log" in text and "rubric" in text
    assert otter_zip.inspect(otter_built["exc-pandas"].zip.read_bytes()).refused == []


def test_fallback_otter_run_grades_refused_zip(tmp_path, otter_built):
    built = otter_built["exc-pandas"]
    zip_path = _with_config(built.zip, tmp_path / "debug.zip", debug=True)
    paths = _submissions("exc-pandas", built, tmp_path / "subs")[:2]
    from io import StringIO

    err = StringIO()
    args = (zip_path, paths, tmp_path / "out")
    assert otter_zip.main(*args, workers=2, stream=err) == 2
    assert "debug" in err.getvalue()
    err = StringIO()
    assert otter_zip.main(*args, workers=2, fallback="otter-run", stream=err) == 0
    assert "NOT sandboxed" in err.getvalue()
    mine = {Path(r["source"]).stem: scores(r) for r in load_results(tmp_path / "out").values()}
    theirs = otter_run_many(built.zip, paths, workers=2)
    assert [mine[p.stem] for p in paths] == theirs
    assert (tmp_path / "out" / "scores.csv").read_text().count("\n") == 3


def test_show_hidden_and_points_possible(tmp_path, otter_built, zip_settings):
    built = otter_built["ok-basics"]
    zip_path = _with_config(built.zip, tmp_path / "c.zip", show_hidden=True, points_possible=50)
    paths = _submissions("ok-basics", built, tmp_path / "subs")
    assert grade(zip_path, paths[:2], tmp_path / "out", zip_settings, workers=2) == 0
    r = load_results(tmp_path / "out")
    assert r["right"]["total"] == 50 and r["right"]["possible"] == 50
    assert r["wrong"]["total"] == pytest.approx(r["wrong"]["raw_total"] / 10 * 50)
    html = (tmp_path / "out" / "feedback" / f"{file_stem('wrong')}.html").read_text()
    assert "Check 3 of q1" in html and "hidden test" not in html  # the hidden case shown in full


def test_attacks_earn_nothing_on_ok_format(tmp_path, otter_built, zip_settings):
    """A lying ``__eq__``/``__repr__`` and a patched ``np.allclose`` fool a doctest run in the
    student's process (as Otter does); in the judge they earn no more than honest-wrong."""
    built = otter_built["ok-basics"]
    liar = (
        "class Liar:\n"
        "    def __eq__(self, other):\n        return True\n"
        "    def __repr__(self):\n        return '9'\n"
        "def square(x):\n    return Liar()"
    )
    attacks = {
        "q1": liar,
        "q3": "np.allclose = lambda *a, **k: True\ndef unit(v):\n    return v",
        "q2": "import builtins\nbuiltins.repr = lambda x: \"'HI!'\"\n"
        "def shout(word):\n    return word\n"
        "def announce(word):\n    print(word)",
    }
    subs = tmp_path / "subs"
    subs.mkdir()
    nbformat.write(answer(built.student, attacks), subs / "attack.ipynb")
    nbformat.write(answer(built.student, OK_WRONG), subs / "wrong.ipynb")
    assert grade(built.zip, [subs], tmp_path / "out", zip_settings, workers=2) == 0
    r = load_results(tmp_path / "out")
    assert r["attack"]["status"] == "graded"
    assert r["attack"]["questions"]["q1"]["kept_in_sandbox"] == ["Liar"]  # said, not silent
    assert all("kept_in_sandbox" not in q for q in r["wrong"]["questions"].values())
    for q in ("q1", "q2", "q3"):
        assert scores(r["attack"])[q] <= scores(r["wrong"])[q], (q, scores(r["attack"]))
    # the same attack does fool the in-process doctest: the judge is what stops it
    (theirs,) = otter_run_many(built.zip, [subs / "attack.ipynb"], workers=1)
    assert theirs["q1"] > scores(r["attack"])["q1"]


def _hostile(tree, draw_json, choices):
    """``tree`` with one node somewhere replaced by arbitrary JSON."""
    path = []
    node = tree
    while isinstance(node, (list, dict)) and node and choices.pop() % 3:
        keys = list(range(len(node))) if isinstance(node, list) else list(node)
        k = keys[choices.pop() % len(keys)]
        path.append(k)
        node = node[k]
    if not path:
        return draw_json
    out = json.loads(json.dumps(tree))
    parent = out
    for k in path[:-1]:
        parent = parent[k]
    parent[path[-1]] = draw_json
    return out


def test_hostile_pandas_messages_only_break_the_protocol():
    """Frames, iterators and modules forged by a child: the decoder either rebuilds a value or
    raises WireError (the submission then ends as ``crashed``), never anything else."""
    import numpy as np
    import pandas as pd
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from autograder.grade import wire

    values = [
        pd.DataFrame(
            {
                "a": [1, 2],
                "s": ["x", None],
                "c": pd.Categorical(["u", "v"]),
                "m": pd.array([1, None], dtype="Int64"),
                "t": pd.to_datetime(["2020-01-01", None]),
            },
            index=pd.MultiIndex.from_arrays([["p", "q"], [1, 2]]),
        ),
        pd.Series([1.5, 2.5], index=pd.RangeIndex(2), name="x"),
        iter(range(3)),
    ]
    trees = [wire.encode(v, lambda x: {"opaque": 0}) for v in values]
    trees.append(({"sm": ["units", [["FACTOR", 0.6]]]}, []))
    json_values = st.recursive(
        st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=5),
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=3), inner),
        max_leaves=12,
    )

    @settings(max_examples=200, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.integers(0, len(trees) - 1), json_values, st.lists(st.integers(0, 99), min_size=40))
    def check(i, junk, choices):
        tree, blobs = trees[i]
        forged = _hostile(tree, junk, list(choices))
        try:
            wire.decode(forged, blobs)
        except wire.WireError:
            pass

    check()
    # and the lies a well-formed message can tell are caught too
    tree, blobs = wire.encode(pd.Series(pd.Categorical(["a", "b"])), lambda x: None)
    codes = tree["pd"][2][2][0]
    blobs[codes["a"][0]] = np.array([0, 7], dtype=codes["a"][1][0]).tobytes()
    with pytest.raises(wire.WireError):
        wire.decode(tree, blobs)
    with pytest.raises(wire.WireError):
        wire.decode({"pd": ["index", ["range", [0, 10**15, 1], [None]]]}, [])


def test_cli_grades_without_a_course_and_resumes(tmp_path, otter_built):
    """``mml grade --autograder ZIP`` from a folder with no course; a rerun reuses results."""
    import os

    built = otter_built["student-files"]
    paths = _submissions("student-files", built, tmp_path / "subs")
    cli = [sys.executable, "-m", "autograder.cli", "grade", "--autograder", str(built.zip)]
    cmd = [*cli, str(tmp_path / "subs"), "--out", str(tmp_path / "out"), "--workers", "2"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    first = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert first.returncode == 0, first.stderr
    rows = (tmp_path / "out" / "scores.csv").read_text().splitlines()
    assert rows[0] == "submission,status,q1,q2,total,possible,source"
    assert sorted(r.rsplit(",", 1)[0] for r in rows[1:]) == [  # less the source column
        "blank,graded,0,0,0,3",
        "partial,graded,0,1,1,3",
        "right,graded,2,1,3,3",
        "wrong,graded,0,0,0,3",
    ]
    assert len(list((tmp_path / "out" / "feedback").glob("*.html"))) == len(paths)
    again = subprocess.run(cmd, capture_output=True, text=True, cwd=tmp_path, env=env)
    assert again.returncode == 0 and "(4 already graded)" in again.stderr, again.stderr


def test_plain_seed_equals_otter_run(tmp_path, otter_built, zip_settings):
    """``seed`` without a variable: numpy and random reseeded before every cell, as Otter."""
    built = otter_built["files-seed"]
    with zipfile.ZipFile(built.zip) as z:
        config = json.loads(z.read("otter_config.json"))
    assert config["seed_variable"] == "rng_seed"
    config.pop("seed_variable")
    zip_path = tmp_path / "plain.zip"
    with zipfile.ZipFile(built.zip) as src, zipfile.ZipFile(zip_path, "w") as z:
        for info in src.infolist():
            data = src.read(info)
            z.writestr(info, json.dumps(config) if info.filename == "otter_config.json" else data)
    subs = tmp_path / "subs"
    subs.mkdir()
    global_rng = {  # the legacy global generator, seeded by Otter before the cell
        "q1": SEED_RIGHT["q1"],
        "q2": "sample = np.random.choice(heights['cm'].to_numpy(), 3, replace=False)",
    }
    paths = [subs / "global-rng.ipynb", subs / "right.ipynb"]
    nbformat.write(answer(built.student, global_rng), paths[0])
    nbformat.write(answer(built.student, SEED_RIGHT), paths[1])
    assert grade(zip_path, paths, tmp_path / "out", zip_settings, workers=2) == 0
    mine = {Path(r["source"]).stem: scores(r) for r in load_results(tmp_path / "out").values()}
    theirs = otter_run_many(zip_path, paths, workers=2)
    assert [mine[p.stem] for p in paths] == theirs
